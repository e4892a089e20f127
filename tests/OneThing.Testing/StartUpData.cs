using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using OneThing.Api.Accounts;

namespace OneThing.Testing;

/// <summary>
/// Puts a host's database back as the host's start-up left it, so that tests sharing one host see none of each other's
/// data. Every table is emptied and its sequences restarted (case numbers start again at 1), whatever migration added
/// it, except the three the running host holds on to; the accounts and roles that start-up seeded are put back from a
/// copy taken at the first reset, which must therefore come before any test.
/// </summary>
public static class StartUpData
{
    /// <summary>
    /// Left as they are: the migrations' record, the workflow versions (the host keeps them in memory by version) and
    /// the key ring (it protects the cookies and tokens already handed out).
    /// </summary>
    private static readonly string[] Kept = ["schema_migrations", "workflow_versions", "data_protection_keys"];

    /// <summary>What start-up writes besides: the roles (a migration) and the demo accounts (DemoAccountSeeder).</summary>
    private static readonly string[] Seeded = ["roles", "role_claims", "accounts", "account_roles", "account_claims", "account_logins", "account_tokens"];

    private const string CopySchema = "onething_test_start_up";

    // One round trip. The seeded tables keep their sequences (a restart would hand out the restored rows' ids again);
    // their CASCADE only reaches tables the first TRUNCATE emptied already.
    private static readonly string ResetSql = $$"""
        DO $reset$
        DECLARE
            seeded text[] := ARRAY['{{string.Join("', '", Seeded)}}'];
            kept text[] := ARRAY['{{string.Join("', '", Kept)}}'];
            emptied text;
            tbl text;
            guarded regclass;
        BEGIN
            CREATE SCHEMA IF NOT EXISTS {{CopySchema}};
            FOREACH tbl IN ARRAY seeded LOOP
                IF to_regclass(format('{{CopySchema}}.%I', tbl)) IS NULL THEN
                    EXECUTE format('CREATE TABLE {{CopySchema}}.%I AS TABLE public.%I', tbl, tbl);
                END IF;
            END LOOP;

            SELECT string_agg(format('public.%I', tablename), ', ') INTO emptied
            FROM pg_tables WHERE schemaname = 'public' AND tablename <> ALL (seeded || kept);
            -- The audit log refuses TRUNCATE with a trigger (0031_audit.sql); it stands aside only inside this transaction.
            FOR guarded IN SELECT DISTINCT tgrelid::regclass FROM pg_trigger WHERE NOT tgisinternal AND (tgtype::int & 32) <> 0 LOOP
                EXECUTE format('ALTER TABLE %s DISABLE TRIGGER USER', guarded);
            END LOOP;
            EXECUTE format('TRUNCATE %s RESTART IDENTITY CASCADE', emptied);
            FOR guarded IN SELECT DISTINCT tgrelid::regclass FROM pg_trigger WHERE NOT tgisinternal AND (tgtype::int & 32) <> 0 LOOP
                EXECUTE format('ALTER TABLE %s ENABLE TRIGGER USER', guarded);
            END LOOP;
            EXECUTE format('TRUNCATE %s CASCADE', (SELECT string_agg(format('public.%I', s), ', ') FROM unnest(seeded) s));
            FOREACH tbl IN ARRAY seeded LOOP
                EXECUTE format('INSERT INTO public.%I SELECT * FROM {{CopySchema}}.%I', tbl, tbl);
            END LOOP;
        END
        $reset$
        """;

    private const string DeadlockDetected = "40P01";

    public static async Task RestoreAsync(IServiceProvider services)
    {
        var dataSource = services.GetRequiredService<NpgsqlDataSource>();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var reset = dataSource.CreateCommand(ResetSql);
                await reset.ExecuteNonQueryAsync();
                break;
            }
            // TRUNCATE locks every table; a background loop (relay, sweeper, resends) locking two of them the other way round may meet it.
            catch (PostgresException ex) when (ex.SqlState == DeadlockDetected && attempt < 5)
            {
            }
        }

        // The host remembers for a while whether a session is still valid; a restored account is back at its start-up
        // security stamp, so what it remembers from an earlier test would be wrong.
        var sessions = services.GetRequiredService<SessionValidity>();
        await using var accounts = dataSource.CreateCommand("SELECT id FROM accounts");
        await using var reader = await accounts.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sessions.Forget(reader.GetString(0));
        }
    }
}
