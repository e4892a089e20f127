using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Metadata;
using OneThing.Processing.Persistence;
using OneThing.Processing.Persistence.CompiledModel;

namespace OneThing.Api.Tests.Persistence;

public sealed class CompiledModelTests
{
    [Fact]
    public void The_compiled_model_maps_every_entity_as_the_entity_configurations_do()
    {
        using var db = new DesignTimeFactory().CreateDbContext([]);
        var configured = Describe(db.GetService<IDesignTimeModel>().Model);
        var compiled = Describe(OneThingDbContextModel.Instance);

        var missing = configured.Except(compiled).ToList();
        var extra = compiled.Except(configured).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            "The compiled model is out of date with the entity configurations; regenerate it as the README says (\"Changing an entity\").\n" +
            $"Configured but not compiled:\n  {string.Join("\n  ", missing)}\nCompiled but no longer configured:\n  {string.Join("\n  ", extra)}");
        Assert.Contains(compiled, line => line.StartsWith("cases.case_number ", StringComparison.Ordinal));
    }

    private static HashSet<string> Describe(IModel model)
    {
        var lines = new HashSet<string>();
        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName() ?? entity.Name;
            var store = StoreObjectIdentifier.Table(table, entity.GetSchema());
            lines.Add($"{table}: {entity.ClrType.FullName}");
            foreach (var property in entity.GetProperties())
            {
                lines.Add($"{table}.{property.GetColumnName(store)} {property.ClrType.Name} {property.GetRelationalTypeMapping().StoreType}" +
                          $" null={property.IsNullable} max={property.GetMaxLength()} generated={property.ValueGenerated}" +
                          $" converter={property.GetTypeMapping().Converter?.GetType().Name} concurrency={property.IsConcurrencyToken}");
            }

            foreach (var key in entity.GetKeys())
            {
                lines.Add($"{table} key {key.GetName(store)} ({string.Join(", ", key.Properties.Select(p => p.Name))}) primary={key.IsPrimaryKey()}");
            }

            foreach (var index in entity.GetIndexes())
            {
                lines.Add($"{table} index {index.GetDatabaseName(store)} ({string.Join(", ", index.Properties.Select(p => p.Name))}) unique={index.IsUnique} filter={index.GetFilter()}");
            }

            foreach (var foreignKey in entity.GetForeignKeys())
            {
                lines.Add($"{table} foreign key ({string.Join(", ", foreignKey.Properties.Select(p => p.Name))}) -> " +
                          $"{foreignKey.PrincipalEntityType.GetTableName()} delete={foreignKey.DeleteBehavior} required={foreignKey.IsRequired}");
            }

            foreach (var navigation in entity.GetNavigations())
            {
                lines.Add($"{table} navigation {navigation.Name} -> {navigation.TargetEntityType.ClrType.Name}");
            }
        }

        return lines;
    }
}
