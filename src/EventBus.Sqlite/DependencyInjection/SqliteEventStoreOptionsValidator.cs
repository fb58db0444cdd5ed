using Microsoft.Extensions.Options;

namespace EventBus.Sqlite;

/// <summary>Validates the SQLite store's options when the host starts, with every problem in one message.</summary>
internal sealed class SqliteEventStoreOptionsValidator : IValidateOptions<SqliteEventStoreOptions>
{
    public ValidateOptionsResult Validate(string? name, SqliteEventStoreOptions options)
    {
        List<string> errors = options.Problems();
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
