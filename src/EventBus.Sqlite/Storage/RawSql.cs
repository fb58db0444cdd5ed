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

    /// <summary>Steps to the next row of a query.</summary>
    /// <returns><see langword="true"/> when a row is ready; <see langword="false"/> when the query is done.</returns>
    public static bool Next(SqliteConnection connection, sqlite3_stmt statement)
    {
        int result = raw.sqlite3_step(statement);
        if (result == raw.SQLITE_ROW)
        {
            return true;
        }

        if (result != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(result, connection.Handle);
        }

        return false;
    }

    /// <summary>Binds a named parameter of a query built at run time; values are text, or integers of up to 64 bits.</summary>
    public static void Bind(sqlite3_stmt statement, string name, object value)
    {
        int index = raw.sqlite3_bind_parameter_index(statement, name);
        switch (value)
        {
            case string text:
                raw.sqlite3_bind_text16(statement, index, text.AsSpan());
                break;
            case int number:
                raw.sqlite3_bind_int64(statement, index, number);
                break;
            default:
                raw.sqlite3_bind_int64(statement, index, (long)value);
                break;
        }
    }
}
