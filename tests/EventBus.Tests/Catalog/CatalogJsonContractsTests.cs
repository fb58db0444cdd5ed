using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace EventBus.Tests.Catalog;

/// <summary>Payload contracts come from the resolvers an application adds to the catalogue, in order, then from reflection.</summary>
public sealed class CatalogJsonContractsTests
{
    [Fact]
    public void AnAddedContext_ProvidesTheContract_BeforeReflection()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        catalog.AddJsonTypeInfoResolver(ContractsContext.Default);

        JsonTypeInfo info = catalog.GetJsonTypeInfo(typeof(Shipped));

        info.OriginatingResolver.Should().BeSameAs(ContractsContext.Default);
        JsonSerializer.Serialize(new Shipped("o-1", 3), (JsonTypeInfo<Shipped>)info).Should().Be("""{"orderId":"o-1","parcels":3}""", "the catalogue's options are the web defaults");
    }

    [Fact]
    public void ATypeNoContextLists_FallsBackToReflection_WhileReflectionIsEnabled()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        catalog.AddJsonTypeInfoResolver(ContractsContext.Default);

        JsonTypeInfo info = catalog.GetJsonTypeInfo(typeof(NotListed));

        info.OriginatingResolver.Should().NotBeSameAs(ContractsContext.Default);
        JsonSerializer.Serialize(new NotListed { Name = "x" }, (JsonTypeInfo<NotListed>)info).Should().Be("""{"name":"x"}""");
    }

    [Fact]
    public void AResolverAddedAfterTheOptionsWereRead_StillCountsForTypesNotYetUsed()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        JsonSerializerOptions options = catalog.JsonOptions;

        catalog.AddJsonTypeInfoResolver(ContractsContext.Default);

        catalog.JsonOptions.Should().BeSameAs(options, "options once handed out never change");
        catalog.GetJsonTypeInfo(typeof(Shipped)).OriginatingResolver.Should().BeSameAs(ContractsContext.Default);
    }

    [Fact]
    public void OptionsWithoutAResolver_ResolveThroughTheCatalogue_AndKeepTheirOwnSettings()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        catalog.AddJsonTypeInfoResolver(ContractsContext.Default);
        JsonSerializerOptions own = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

        JsonSerializerOptions effective = catalog.JsonOptionsFor(own);
        JsonTypeInfo<Shipped> info = (JsonTypeInfo<Shipped>)catalog.GetJsonTypeInfo(typeof(Shipped), effective);

        JsonSerializer.Serialize(new Shipped("o-1", 3), info).Should().Be("""{"order_id":"o-1","parcels":3}""");
        own.TypeInfoResolver.Should().BeNull("the caller's options are copied, not changed");
        catalog.JsonOptionsFor(null).Should().BeSameAs(catalog.JsonOptions);
        JsonSerializerOptions withResolver = new() { TypeInfoResolver = ContractsContext.Default };
        catalog.JsonOptionsFor(withResolver).Should().BeSameAs(withResolver, "options that bring a resolver are used as given");
    }

    [Fact]
    public void WithNoContract_TheErrorNamesTheTypeAndTheFix()
    {
        EventCatalog catalog = new(includeStandardEvents: false);
        JsonSerializerOptions noReflection = new() { TypeInfoResolver = ContractsContext.Default };

        Action resolve = () => catalog.GetJsonTypeInfo(typeof(NotListed), noReflection);

        resolve.Should().Throw<NotSupportedException>()
            .WithMessage($"*'{typeof(NotListed).FullName}'*[JsonSerializable(typeof(NotListed))]*AddJsonTypeInfoResolver*");
    }

    [Fact]
    public void AddingTheSameResolverTwice_IsHarmless_AndNullIsRefused()
    {
        EventCatalog catalog = new(includeStandardEvents: false);

        catalog.AddJsonTypeInfoResolver(ContractsContext.Default).AddJsonTypeInfoResolver(ContractsContext.Default);
        Action addNull = () => catalog.AddJsonTypeInfoResolver(null!);

        catalog.GetJsonTypeInfo(typeof(Shipped)).OriginatingResolver.Should().BeSameAs(ContractsContext.Default);
        addNull.Should().Throw<ArgumentNullException>().WithParameterName("resolver");
    }
}

public sealed record Shipped(string OrderId, int Parcels);

public sealed class NotListed
{
    public string? Name { get; set; }
}

[JsonSerializable(typeof(Shipped))]
internal sealed partial class ContractsContext : JsonSerializerContext;
