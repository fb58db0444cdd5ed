using Npgsql;

namespace EventBus.PostgreSql.Tests.Server;

/// <summary>The private server the PostgreSQL tests run against: it answers, and keeps committed data across a restart.</summary>
[Collection(SharedServer.Name)]
public sealed class ServerSmokeTests(PostgresServer server)
{
    [Fact]
    public async Task ThePrivateServer_KeepsCommittedRows_AcrossARestart()
    {
        string table = "smoke_" + Guid.NewGuid().ToString("N")[..8];
        await using (NpgsqlConnection connection = new(server.ConnectionString))
        {
            await connection.OpenAsync();
            await Execute(connection, $"CREATE TABLE {table} (n int); INSERT INTO {table} VALUES (1), (2);");
            (await Scalar(connection, "SHOW port")).Should().Be(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        NpgsqlConnection.ClearAllPools();
        await server.StopAsync();
        await server.StartAsync();

        await using NpgsqlConnection again = new(server.ConnectionString);
        await again.OpenAsync();
        (await Scalar(again, $"SELECT sum(n) FROM {table}")).Should().Be("3");
        (await Scalar(again, "SELECT version()")).Should().StartWith("PostgreSQL ");
    }

    private static async Task Execute(NpgsqlConnection connection, string sql)
    {
        await using NpgsqlCommand command = new(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<string?> Scalar(NpgsqlConnection connection, string sql)
    {
        await using NpgsqlCommand command = new(sql, connection);
        return Convert.ToString(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
