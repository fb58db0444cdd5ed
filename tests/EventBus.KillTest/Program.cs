using EventBus.KillTest;

// The SQLite durability check: a child process publishes critical events and prints each id once its publish has
// returned; the parent kills it at a random moment, reopens the store and checks that every printed id is there.
//   dotnet run -c Release --project tests/EventBus.KillTest -- [--iterations N]
if (args is ["--child", string path])
{
    await Child.RunAsync(path);
    return 0;
}

// One of several processes appending to one file at once (tests/EventBus.Sqlite.Tests runs two).
if (args is ["--append", string file, string appends])
{
    await Appender.RunAsync(new EventBus.Sqlite.SqliteEventStore(new EventBus.Sqlite.SqliteEventStoreOptions { Path = file }), int.Parse(appends, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

// One of several processes appending to one PostgreSQL schema at once (tests/EventBus.PostgreSql.Tests runs three).
if (args is ["--append-postgres", string connectionString, string schema, string perProcess])
{
    await Appender.RunAsync(new EventBus.PostgreSql.PostgreSqlEventStore(new EventBus.PostgreSql.PostgreSqlEventStoreOptions { ConnectionString = connectionString, Schema = schema }), int.Parse(perProcess, System.Globalization.CultureInfo.InvariantCulture));
    return 0;
}

int iterations = args is ["--iterations", string count] ? int.Parse(count, System.Globalization.CultureInfo.InvariantCulture) : 20;
return await Parent.RunAsync(iterations);
