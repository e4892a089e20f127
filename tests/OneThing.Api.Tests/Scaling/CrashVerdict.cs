using Npgsql;
using OneThing.Api.Tests.Infrastructure;
using RabbitMQ.Client;

namespace OneThing.Api.Tests.Scaling;

/// <summary>What the fault test checks once the faults are over: read from the database and the broker themselves.</summary>
internal static class CrashVerdict
{
    public sealed record Verdict(int Cases, int Tasks, int DuplicateTasks, int DuplicateReceipts, int DuplicateCompletions,
        int Notifications, int Unpublished, int Redispatches);

    public static async Task<Verdict> ReadAsync(RestartablePostgres database) => new(
        await CountAsync(database, "SELECT count(*) FROM cases"),
        await CountAsync(database, "SELECT count(*) FROM department_tasks"),
        await CountAsync(database, "SELECT count(*) FROM (SELECT case_id, step_id FROM department_tasks GROUP BY 1, 2 HAVING count(*) > 1) twice"),
        await CountAsync(database, "SELECT count(*) FROM (SELECT task_id FROM case_events WHERE type = 'task-received' GROUP BY 1 HAVING count(*) > 1) twice"),
        await CountAsync(database, "SELECT count(*) FROM (SELECT case_id FROM case_events WHERE type = 'case-completed' GROUP BY 1 HAVING count(*) > 1) twice"),
        await CountAsync(database, "SELECT count(*) FROM notifications"),
        await Eventually.MatchAsync(() => CountAsync(database, "SELECT count(*) FROM outbox_messages WHERE published_at IS NULL"),
            count => count == 0, "the outbox to drain", TimeSpan.FromSeconds(30)),
        await CountAsync(database, "SELECT count(*) FROM case_events WHERE type = 'task-redispatched'"));

    public static async Task<int> CountAsync(RestartablePostgres database, string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    /// <summary>Messages that kept failing are kept, not dropped: counted here so the run shows whether any ended there.</summary>
    public static async Task<string> CountErrorQueuesAsync(RabbitMqServer broker)
    {
        var queues = new[] { "case-engine", "notifications", "department-household-registration", "department-system-housing-fund" };
        await using var connection = await new ConnectionFactory { Uri = broker.AmqpUri }.CreateConnectionAsync();
        var counts = new List<string>();
        foreach (var queue in queues)
        {
            await using var channel = await connection.CreateChannelAsync();
            try
            {
                var declared = await channel.QueueDeclarePassiveAsync($"{queue}_error");
                counts.Add($"{queue}_error {declared.MessageCount}");
            }
            catch (RabbitMQ.Client.Exceptions.OperationInterruptedException)
            {
                counts.Add($"{queue}_error none");
            }
        }

        return string.Join(", ", counts);
    }
}
