using Microsoft.Extensions.Options;

namespace EventBus;

/// <summary>
/// Validates options at host start-up through their own list of problems, reporting every problem in one message; the
/// options types keep their rules, so the same text appears whether options were set by code or bound from configuration.
/// </summary>
internal sealed class ListedProblemsValidator<TOptions>(Func<TOptions, List<string>> problems) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        List<string> errors = problems(options);
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
