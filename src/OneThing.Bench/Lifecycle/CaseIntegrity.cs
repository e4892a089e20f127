using Npgsql;
using OneThing.Engine;
using OneThing.Processing.Cases;
using OneThing.Processing.Persistence;

namespace OneThing.Bench.Lifecycle;

/// <summary>
/// What a lifecycle run leaves in the service's database, read after its rounds: every case completed, no step's task
/// made twice, no task taken into an inbox twice (a message delivered again must change nothing).
/// </summary>
public sealed record CaseIntegrity(long Cases, long NotCompleted, long TasksMadeTwice, long TasksReceivedTwice)
{
    public bool Holds => NotCompleted == 0 && TasksMadeTwice == 0 && TasksReceivedTwice == 0;

    /// <param name="serviceDatabase">The service's database, or empty for a service at a URL: then nothing is read.</param>
    public static async Task<CaseIntegrity?> ReadAsync(string serviceDatabase, CancellationToken cancellationToken)
    {
        if (serviceDatabase.Length == 0)
        {
            return null;
        }

        await using var connection = new NpgsqlConnection(serviceDatabase);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(
            """
            SELECT (SELECT count(*) FROM cases),
                   (SELECT count(*) FROM cases WHERE status <> $1),
                   (SELECT count(*) FROM (SELECT 1 FROM department_tasks GROUP BY case_id, step_id, round, department HAVING count(*) > 1) twice),
                   (SELECT count(*) FROM (SELECT 1 FROM case_events WHERE type = $2 GROUP BY task_id HAVING count(*) > 1) twice)
            """, connection)
        {
            Parameters = { new() { Value = StoredNames.Of(CaseStatus.Completed) }, new() { Value = CaseEventTypes.TaskReceived } },
        };
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new CaseIntegrity(reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3));
    }

    public override string ToString() =>
        $"{Cases:N0} cases: {NotCompleted} not completed, {TasksMadeTwice} tasks made twice, {TasksReceivedTwice} received twice";
}
