using Microsoft.Extensions.Options;

namespace EventBus;

/// <summary>Validates <see cref="EventBusOptions"/> at host start-up, reporting every problem in one message.</summary>
internal sealed class EventBusOptionsValidator : IValidateOptions<EventBusOptions>
{
    public ValidateOptionsResult Validate(string? name, EventBusOptions options)
    {
        List<string> errors = options.Validate();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
