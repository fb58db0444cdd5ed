using System.Reflection;
using EventBus.Docs.Tests.Support;
using EventBus.PostgreSql;
using EventBus.RabbitMQ;
using EventBus.Sqlite;

namespace EventBus.Docs.Tests;

/// <summary>The README's Options section names every setting of every options type the packages ship, so a new one can not go undocumented.</summary>
public sealed class OptionsTablesTests
{
    public static TheoryData<Type> OptionsTypes() =>
    [
        typeof(EventBusOptions),
        typeof(EventPublisherOptions),
        typeof(SubscriptionOptions),
        typeof(EventBusHealthOptions),
        typeof(EventStoreOptions),
        typeof(SqliteEventStoreOptions),
        typeof(PostgreSqlEventStoreOptions),
        typeof(RabbitMqOptions),
        typeof(ExternalPublisherOptions),
    ];

    [Theory]
    [MemberData(nameof(OptionsTypes))]
    public void EverySetting_IsNamedInTheOptionsSection(Type options)
    {
        string readme = Readme.Text;
        int start = readme.IndexOf("\n### Options\n", StringComparison.Ordinal);
        int end = readme.IndexOf("\n### ", start + 1, StringComparison.Ordinal);
        string section = readme[start..end];
        string[] settings = [.. options.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.SetMethod is { IsPublic: true } || IsCollection(p.PropertyType))
            .Select(p => p.Name)];

        settings.Should().NotBeEmpty();
        section.Should().Contain($"`{options.Name}`", "the section says which type it documents");
        settings.Where(name => !section.Contains($"`{name}`", StringComparison.Ordinal)).Should().BeEmpty($"every setting of {options.Name} is documented in the README's Options section");
    }

    private static bool IsCollection(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() is var definition && (definition == typeof(IList<>) || definition == typeof(IDictionary<,>));
}
