using Npgsql;

namespace OneThing.Bench.Sweep;

/// <summary>The SQL that copies one filed case into many open tasks: kept apart from the loading steps that run it.</summary>
public sealed partial class OpenTaskLoader
{
    private const string OpenTasksSql = """
        CREATE TEMP TABLE bench_open (i integer, case_id uuid, task_id uuid, filed_at timestamptz, due_at timestamptz) ON COMMIT DROP;
        INSERT INTO bench_open
        SELECT i,
               ('01900000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid,
               md5('onething-bench-task-' || i)::uuid,
               @now - interval '31 days' + i * (interval '30 days' / @n),
               CASE WHEN i <= @due THEN @now - interval '1 hour' + i * (interval '30 minutes' / @due)
                    ELSE @now + interval '1 day' + i * (interval '30 days' / @n) END
          FROM generate_series(1, @n) AS i
        """;

    private const string RemoveTemplateSql = """
        DELETE FROM timers WHERE case_id = @template;
        DELETE FROM outbox_messages WHERE case_id = @template;
        DELETE FROM case_events WHERE case_id = @template;
        DELETE FROM department_tasks WHERE case_id = @template;
        DELETE FROM cases WHERE id = @template
        """;

    // Case ids count up like the service's time-ordered UUIDv7 ids; task ids are scattered like its SHA-256-derived ones.
    // Every column not named here is copied from the template row, so columns added by later migrations come along.
    private static readonly TemplateCopy[] Copies =
    [
        new("bench_open", OpenTasksSql, new Dictionary<string, string>()),
        // The case's state names its own id and its task's id; jsonb_set puts the copy's ids in without re-parsing the JSON.
        new("cases",
            """
            WITH template AS MATERIALIZED (
                SELECT t.*, ARRAY['steps', (SELECT (e.ordinality - 1)::text
                                              FROM jsonb_array_elements(t.state -> 'steps') WITH ORDINALITY AS e
                                             WHERE e.value ->> 'taskId' = task.id::text), 'taskId'] AS task_id_path
                  FROM cases t
                  JOIN department_tasks task ON task.case_id = t.id
                 WHERE t.id = @template)
            INSERT INTO cases ({columns})
            SELECT {values}
              FROM bench_open o
             CROSS JOIN template t
            """,
            new Dictionary<string, string>
            {
                ["id"] = "o.case_id",
                ["case_number"] = "'YJS-BENCH-' || lpad(o.i::text, 8, '0')",
                ["state"] = "jsonb_set(jsonb_set(t.state, '{caseId}', to_jsonb(o.case_id)), t.task_id_path, to_jsonb(o.task_id))",
                ["idempotency_key"] = "NULL",
                ["filed_at"] = "o.filed_at",
                ["updated_at"] = "o.filed_at",
                ["due_at"] = "o.due_at + interval '4 days'",
                ["warn_at"] = "o.due_at + interval '3 days'",
            }),
        new("department_tasks",
            """
            INSERT INTO department_tasks ({columns})
            SELECT {values}
              FROM bench_open o
             CROSS JOIN department_tasks t
             WHERE t.case_id = @template
            """,
            new Dictionary<string, string>
            {
                ["id"] = "o.task_id",
                ["case_id"] = "o.case_id",
                ["state"] = "'open'",
                ["created_at"] = "o.filed_at",
                ["last_dispatched_at"] = "o.filed_at",
                ["acknowledged_at"] = "o.filed_at + interval '5 milliseconds'",
                ["due_at"] = "o.due_at",
                ["warn_at"] = "o.due_at - interval '2 hours'",
                ["warned_at"] = "CASE WHEN o.i <= @due THEN o.due_at - interval '2 hours' END",
            }),
        // A due task's warning has fired already; its first escalation is held back a day so that exactly one timer per
        // due task (its breach) is due.
        new("timers",
            """
            INSERT INTO timers ({columns})
            SELECT {values}
              FROM bench_open o
             CROSS JOIN timers t
             WHERE t.case_id = @template
            """,
            new Dictionary<string, string>
            {
                ["case_id"] = "o.case_id",
                ["task_id"] = "CASE WHEN t.task_id IS NOT NULL THEN o.task_id END",
                ["due_at"] = """
                    CASE t.kind
                        WHEN 'task-warning' THEN o.due_at - interval '2 hours'
                        WHEN 'task-breach' THEN o.due_at
                        WHEN 'task-escalation' THEN o.due_at + (t.level - 1) * interval '4 hours'
                                                    + CASE WHEN o.i <= @due THEN interval '1 day' ELSE interval '0' END
                        WHEN 'case-warning' THEN o.due_at + interval '3 days'
                        ELSE o.due_at + interval '4 days'
                    END
                    """,
                ["created_at"] = "o.filed_at",
                ["fired_at"] = "CASE WHEN t.kind = 'task-warning' AND o.i <= @due THEN o.due_at - interval '2 hours' END",
            }),
    ];

    /// <summary>An INSERT … SELECT that copies the template's rows of a table, with some columns computed per copy.</summary>
    private sealed record TemplateCopy(string Table, string Sql, IReadOnlyDictionary<string, string> Computed)
    {
        public async Task<string> ToSqlAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
        {
            if (Computed.Count == 0)
            {
                return Sql;
            }

            var columns = new List<string>();
            await using (var command = new NpgsqlCommand(
                """
                SELECT column_name FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name = @table AND is_identity = 'NO' AND is_generated = 'NEVER'
                 ORDER BY ordinal_position
                """, connection))
            {
                command.Parameters.AddWithValue("table", Table);
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    columns.Add(reader.GetString(0));
                }
            }

            if (Computed.Keys.Except(columns).ToList() is { Count: > 0 } missing)
            {
                throw new InvalidOperationException($"{Table} has no column {string.Join(", ", missing)}; the benchmark loader needs updating");
            }

            return Sql
                .Replace("{columns}", string.Join(", ", columns.Select(Quote)))
                .Replace("{values}", string.Join(",\n       ", columns.Select(c => Computed.GetValueOrDefault(c) ?? $"t.{Quote(c)}")));
        }

        private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"")}\"";
    }
}
