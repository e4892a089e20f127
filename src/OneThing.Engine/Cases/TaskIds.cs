using System.Security.Cryptography;
using System.Text;

namespace OneThing.Engine;

/// <summary>
/// Task ids are derived from the case and the step, so re-applying a filing after a crash
/// yields the same task id and a department never receives a second task for the same step.
/// </summary>
public static class TaskIds
{
    private static readonly byte[] Domain = Encoding.UTF8.GetBytes("onething:task:v1:");

    /// <summary>
    /// An RFC 9562 version 8 GUID built from the SHA-256 of the case id and step id. A later round of a loop, and a
    /// department chosen at triage, each name their task apart, so a re-delivered message cannot create it twice;
    /// '#' and '/' cannot occur in a (kebab-case) step id, so these names never meet another step's.
    /// </summary>
    public static Guid For(Guid caseId, string stepId, int round = 1, string? chosenDepartment = null)
    {
        ArgumentNullException.ThrowIfNull(stepId);
        stepId += (chosenDepartment is null ? "" : $"/{chosenDepartment}") + (round == 1 ? "" : $"#{round}");
        var input = new byte[Domain.Length + 16 + Encoding.UTF8.GetByteCount(stepId)];
        Domain.CopyTo(input, 0);
        caseId.TryWriteBytes(input.AsSpan(Domain.Length, 16), bigEndian: true, out _);
        Encoding.UTF8.GetBytes(stepId, input.AsSpan(Domain.Length + 16));

        Span<byte> bytes = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(input, bytes);
        bytes[6] = (byte)((bytes[6] & 0x0F) | 0x80);
        bytes[8] = (byte)((bytes[8] & 0x3F) | 0x80);
        return new Guid(bytes[..16], bigEndian: true);
    }
}
