using System.Globalization;
using System.Text;

namespace EventBus.StoreRunner;

/// <summary>Renders the measurements as a markdown table.</summary>
internal static class Report
{
    public static string Render(int events, IReadOnlyList<Measurement> results)
    {
        StringBuilder text = new();
        text.AppendLine(CultureInfo.InvariantCulture, $"# Event store throughput ({events:N0} events)");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on {Environment.ProcessorCount} cores, .NET {Environment.Version}; `dotnet run -c Release --project benchmarks/EventBus.StoreRunner`.");
        text.AppendLine();
        text.AppendLine("| store | scenario | events | seconds | events/s | goal |");
        text.AppendLine("|---|---|---:|---:|---:|---|");
        foreach (Measurement m in results)
        {
            string goal = m.Goal is { } g ? (m.PerSecond >= g ? $"≥ {g:N0}/s: met" : $"≥ {g:N0}/s: NOT met") : string.Empty;
            text.AppendLine(CultureInfo.InvariantCulture, $"| {m.Store} | {m.Scenario} | {m.Events:N0} | {m.Elapsed.TotalSeconds:0.00} | {m.PerSecond:N0} | {goal} |");
        }

        return text.ToString();
    }
}
