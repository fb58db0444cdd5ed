using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace EventBus.Sqlite;

/// <summary>
/// Statements run on SQLite's own API, under <see cref="SqliteConnection.Handle"/>, for the two hot loops (the
/// writer's insert and the readers' row decoding): binding and reading columns by index, without boxing values or
/// looking parameters up by name.
/// </summary>
internal static class RawSql
{
    public static sqlite3_stmt Prepare(SqliteConnection connection, string sql)
    {
        int result = raw.sqlite3_prepare_v2(connection.Handle, sql, out sqlite3_stmt statement);
        SqliteException.ThrowExceptionForRC(result, connection.Handle);
        return statement;
    }

    /// <summary>Runs a statement that returns no rows, then resets it for the next use.</summary>
    public static void Step(SqliteConnection connection, sqlite3_stmt statement)
    {
        int result = raw.sqlite3_step(statement);
        raw.sqlite3_reset(statement);
        if (result != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(result, connection.Handle);
        }
    }

    /// <summary>Binds text as UTF-16, which SQLite converts itself, sparing an encoded copy here.</summary>
    public static void BindText(sqlite3_stmt statement, int index, string? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_text16(statement, index, value.AsSpan());
        }
    }

    public static void BindBlob(sqlite3_stmt statement, int index, byte[]? value)
    {
        if (value is null)
        {
            raw.sqlite3_bind_null(statement, index);
        }
        else
        {
            raw.sqlite3_bind_blob(statement, index, value);
        }
    }

    public static void BindInt64(sqlite3_stmt statement, int index, long? value)
    {
        if (value is { } number)
        {
            raw.sqlite3_bind_int64(statement, index, number);
        }
        else
        {
            raw.sqlite3_bind_null(statement, index);
        }
    }
}
