using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using MassTransit;
using MassTransit.Serialization;
using OneThing.Contracts;
using OneThing.Contracts.Codes;

namespace OneThing.Api.Tests.Contracts;

/// <summary>
/// docs/contracts/*.schema.json is what a department's integrator codes against; these tests hold it to what the
/// records in OneThing.Contracts actually put on the wire (MassTransit's own System.Text.Json options, camelCase).
/// </summary>
public sealed class DepartmentContractSchemaTests
{
    private const string EnvelopeSchemaFile = "envelope.schema.json";

    private static readonly Type[] ContractTypes = typeof(RequestDepartmentTask).Assembly.GetExportedTypes()
        .Where(type => type.Namespace == typeof(RequestDepartmentTask).Namespace)
        .OrderBy(type => type.Name, StringComparer.Ordinal)
        .ToArray();

    private static readonly string SchemaDirectory = LocateSchemaDirectory();

    public static TheoryData<string> ContractTypeNames => new(ContractTypes.Select(type => type.Name));

    [Fact]
    public void Every_contract_type_has_a_schema_file_and_every_message_schema_file_a_contract_type()
    {
        Assert.Contains(typeof(DepartmentTaskRejected), ContractTypes);
        var schemaNames = Directory.GetFiles(SchemaDirectory, "*.schema.json")
            .Select(Path.GetFileName)
            .Where(name => name != EnvelopeSchemaFile)
            .Select(name => name![..^".schema.json".Length])
            .Order(StringComparer.Ordinal);

        Assert.Equal(ContractTypes.Select(type => type.Name), schemaNames);
        Assert.True(File.Exists(Path.Combine(SchemaDirectory, EnvelopeSchemaFile)), "the envelope has a schema too");
    }

    [Theory]
    [MemberData(nameof(ContractTypeNames))]
    public void A_serialized_contract_has_exactly_the_properties_its_schema_lists(string typeName)
    {
        var serialized = Serialize(Sample(ContractType(typeName)));
        var schema = LoadSchema(typeName);

        Assert.Equal(
            schema["properties"]!.AsObject().Select(property => property.Key).Order(StringComparer.Ordinal),
            serialized.Select(property => property.Key).Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ContractTypeNames))]
    public void A_schema_requires_exactly_the_contract_properties_that_cannot_be_null(string typeName)
    {
        var nullability = new NullabilityInfoContext();
        var notNullable = Constructor(ContractType(typeName)).GetParameters()
            .Where(parameter => nullability.Create(parameter).WriteState != NullabilityState.Nullable)
            .Select(parameter => JsonName(parameter.Name!));
        var required = LoadSchema(typeName)["required"]!.AsArray().Select(name => name!.GetValue<string>());

        Assert.Equal(notNullable.Order(StringComparer.Ordinal), required.Order(StringComparer.Ordinal));
    }

    [Theory]
    [MemberData(nameof(ContractTypeNames))]
    public void Each_schema_property_has_the_json_type_and_format_of_the_contract_property(string typeName)
    {
        var type = ContractType(typeName);
        var properties = LoadSchema(typeName)["properties"]!.AsObject();
        foreach (var parameter in Constructor(type).GetParameters())
        {
            var name = JsonName(parameter.Name!);
            Assert.True(properties.ContainsKey(name), $"the {typeName} schema has no property {name}");
            var property = properties[name]!;
            var clrType = Nullable.GetUnderlyingType(parameter.ParameterType) ?? parameter.ParameterType;
            var (jsonType, format) = ExpectedJsonType(clrType);
            var declaredTypes = property["type"] is JsonArray many
                ? many.Select(t => t!.GetValue<string>()).ToArray()
                : [property["type"]!.GetValue<string>()];

            Assert.True(declaredTypes.Contains(jsonType), $"{typeName}.{parameter.Name} is a {clrType.Name}: the schema should say type {jsonType}, not {string.Join("/", declaredTypes)}");
            Assert.Equal(format, property["format"]?.GetValue<string>());
        }
    }

    [Theory]
    [MemberData(nameof(ContractTypeNames))]
    public void A_schema_id_is_the_message_type_urn_masstransit_puts_in_the_envelope(string typeName)
    {
        var urn = MessageUrn.ForTypeString(ContractType(typeName));

        Assert.Equal($"urn:message:OneThing.Contracts:{typeName}", urn);
        Assert.Equal(urn, LoadSchema(typeName)["$id"]!.GetValue<string>());
    }

    [Fact]
    public void The_envelope_schema_checks_the_body_of_every_contract_type_by_its_urn()
    {
        var envelope = JsonNode.Parse(File.ReadAllText(Path.Combine(SchemaDirectory, EnvelopeSchemaFile)))!;
        var branches = envelope["allOf"]!.AsArray().Select(branch => (
            When: branch!["if"]!["properties"]!["messageType"]!["contains"]!["const"]!.GetValue<string>(),
            Then: branch["then"]!["properties"]!["message"]!["$ref"]!.GetValue<string>()));

        Assert.All(branches, branch => Assert.Equal(branch.When, branch.Then));
        Assert.Equal(ContractTypes.Select(MessageUrn.ForTypeString).Order(StringComparer.Ordinal),
            branches.Select(branch => branch.When).Order(StringComparer.Ordinal));
        Assert.Equal(["messageId", "messageType", "message"], envelope["required"]!.AsArray().Select(name => name!.GetValue<string>()));
    }

    [Theory]
    [InlineData(nameof(CancelDepartmentTask), "cause")]
    [InlineData(nameof(DepartmentTaskRejected), "reasonCode")]
    public void A_code_field_lists_exactly_the_codes_the_contract_defines_and_null_for_v1_senders(string typeName, string field)
    {
        var codes = typeName == nameof(CancelDepartmentTask) ? CancelCauses.All : RejectionReasonCodes.All;
        var listed = LoadSchema(typeName)["properties"]![field]!["enum"]!.AsArray().Select(value => value?.GetValue<string>()).ToList();

        Assert.Equal(codes.Append(null), listed);
    }

    private static Type ContractType(string name) => ContractTypes.Single(type => type.Name == name);

    private static ConstructorInfo Constructor(Type type) =>
        type.GetConstructors().OrderByDescending(constructor => constructor.GetParameters().Length).First();

    // Every value set, nullable ones included, so that a property the serializer writes cannot hide behind a null.
    private static object Sample(Type type) =>
        Constructor(type).Invoke(Constructor(type).GetParameters().Select(parameter => SampleValue(parameter.ParameterType)).ToArray());

    private static object SampleValue(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(Guid) => Guid.NewGuid(),
        var t when t == typeof(string) => "公积金 sample",
        var t when t == typeof(int) => 1,
        var t when t == typeof(DateTimeOffset) => DateTimeOffset.UtcNow,
        var t => throw new NotSupportedException($"No sample for {t.Name}: teach this test (and the schemas) the new property type."),
    };

    private static (string JsonType, string? Format) ExpectedJsonType(Type type) => type switch
    {
        _ when type == typeof(Guid) => ("string", "uuid"),
        _ when type == typeof(string) => ("string", null),
        _ when type == typeof(int) => ("integer", null),
        _ when type == typeof(DateTimeOffset) => ("string", "date-time"),
        _ => throw new NotSupportedException($"No JSON type known for {type.Name}."),
    };

    private static JsonObject Serialize(object message) =>
        JsonSerializer.SerializeToNode(message, message.GetType(), SystemTextJsonMessageSerializer.Options)!.AsObject();

    private static string JsonName(string name) => SystemTextJsonMessageSerializer.Options.PropertyNamingPolicy!.ConvertName(name);

    private static JsonNode LoadSchema(string typeName)
    {
        var path = Path.Combine(SchemaDirectory, $"{typeName}.schema.json");
        Assert.True(File.Exists(path), $"{typeName} has no schema at {path}");
        var schema = JsonNode.Parse(File.ReadAllText(path))!;
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", schema["$schema"]!.GetValue<string>());
        return schema;
    }

    private static string LocateSchemaDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "docs", "contracts");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("No docs/contracts folder above the test's output directory.");
    }
}
