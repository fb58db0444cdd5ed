using System.Globalization;

namespace RabbitMqSample;

/// <summary>The sample's command line: a role, and where the broker is.</summary>
internal sealed record SampleArguments(string Role, string Host, int Port, int Workflows, int Expect)
{
    public static SampleArguments Parse(string[] args)
    {
        string role = args.Length > 0 ? args[0] : "";
        if (role is not ("producer" or "consumer"))
        {
            throw new ArgumentException("Usage: RabbitMqSample producer|consumer [--host H] [--port P] [--workflows N] [--expect N]");
        }

        string Value(string name, string fallback) =>
            Array.IndexOf(args, name) is int i and >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
        int Number(string name, int fallback) => int.Parse(Value(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
        return new SampleArguments(role, Value("--host", "localhost"), Number("--port", 5672), Number("--workflows", 3), Number("--expect", 0));
    }
}
