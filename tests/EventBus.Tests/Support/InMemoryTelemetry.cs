using System.Diagnostics;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace EventBus.Tests.Support;

/// <summary>The OpenTelemetry SDK wired to the bus's source and meter, exporting into lists a test reads after a flush.</summary>
internal static class InMemoryTelemetry
{
    /// <summary>Exports the bus's spans, and those of <paramref name="moreSources"/>, into <paramref name="spans"/>.</summary>
    public static TracerProvider Tracing(List<Activity> spans, params string[] moreSources) =>
        Sdk.CreateTracerProviderBuilder().AddSource([EventBusDiagnostics.ActivitySourceName, .. moreSources]).AddInMemoryExporter(spans).Build();

    /// <summary>Exports the bus's metrics into <paramref name="metrics"/>.</summary>
    public static MeterProvider Metering(List<Metric> metrics) =>
        Sdk.CreateMeterProviderBuilder().AddMeter(EventBusDiagnostics.MeterName).AddInMemoryExporter(metrics).Build();
}
