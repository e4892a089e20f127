using System.Text.RegularExpressions;
using OneThing.Engine;
using OneThing.Processing.Cases;

namespace OneThing.Processing.Elders;

/// <summary>What civil affairs records of an enrolled elder; every field is required.</summary>
public sealed record EnrolmentDetails(string? Name, string? Address, string? Grid, string? FamilyPhone);

/// <summary>The rules an enrolment's fields follow, for enrolling and for updating alike; messages in Chinese and English.</summary>
internal static partial class EnrolmentRules
{
    public const int MaxNameLength = 50;
    public const int MaxAddressLength = 200;
    public const int MaxReasonLength = 200;

    public static DateOnly Today(TimeProvider clock) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), CaseNumbers.ChinaStandardTime).DateTime);

    public static List<FieldError> CheckMeterId(string? meterId)
    {
        var errors = new List<FieldError>();
        if (string.IsNullOrWhiteSpace(meterId) || !MeterIdShape().IsMatch(meterId.Trim()))
        {
            errors.Add(new FieldError("meterId", "水表编号为1至64位字母、数字、连字符或下划线", "The meter id is 1 to 64 letters, digits, hyphens or underscores"));
        }

        return errors;
    }

    /// <summary>The details trimmed, or the errors found; the grid must be a grid of the district, or no inbox would get the visit.</summary>
    public static (EnrolmentDetails? Details, List<FieldError> Errors) Check(EnrolmentDetails? details, Territory territory)
    {
        var errors = new List<FieldError>();
        var name = details?.Name?.Trim();
        var address = details?.Address?.Trim();
        var grid = details?.Grid?.Trim();
        var phone = details?.FamilyPhone?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            errors.Add(new FieldError("name", $"请填写老人姓名（至多{MaxNameLength}字）", $"The elder's name is required, at most {MaxNameLength} characters"));
        }

        if (string.IsNullOrEmpty(address) || address.Length > MaxAddressLength)
        {
            errors.Add(new FieldError("address", $"请填写住址（至多{MaxAddressLength}字）", $"The address is required, at most {MaxAddressLength} characters"));
        }

        if (territory.Locate(grid, TerritorialRole.Grid) is { } unit)
        {
            grid = unit.Code;
        }
        else
        {
            errors.Add(new FieldError("grid", $"没有编号为“{grid}”的网格，请填写辖区内的网格编号", $"No grid has the code '{grid}'; give the code of a grid of the district"));
        }

        if (!FormValidator.IsMobileNumber(phone))
        {
            errors.Add(new FieldError("familyPhone", "家属手机号应为11位中国大陆手机号，以13至19开头",
                "The family's mobile number must be an 11-digit mainland China mobile number starting with 13 to 19"));
        }

        return errors.Count > 0 ? (null, errors) : (new EnrolmentDetails(name, address, grid, phone), errors);
    }

    public static void Apply(EnrolledElder elder, EnrolmentDetails checkedDetails, string actor, DateTimeOffset now)
    {
        elder.Name = checkedDetails.Name!;
        elder.Address = checkedDetails.Address!;
        elder.Grid = checkedDetails.Grid!;
        elder.FamilyPhone = checkedDetails.FamilyPhone!;
        elder.UpdatedAt = now;
        elder.UpdatedBy = actor;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,64}$", RegexOptions.CultureInvariant)]
    private static partial Regex MeterIdShape();
}
