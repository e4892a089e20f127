using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace OneThing.Processing.Persistence;

internal static class RawCommands
{
    /// <summary>
    /// Runs SQL as a raw command through EF's command pipeline: its connection, the current transaction, the command
    /// interceptors and diagnostics. Not as a query, whose SQL EF would generate again at every run.
    /// </summary>
    /// <param name="sql">Placeholders <c>{0}</c>, <c>{1}</c>… for the parameters, or the parameters' own names.</param>
    public static Task<RelationalDataReader> ExecuteRawReaderAsync(this DbContext db, string sql, IReadOnlyList<object> parameters,
        CancellationToken cancellationToken)
    {
        var command = db.GetService<IRawSqlCommandBuilder>().Build(sql, parameters, db.Model);
        return db.ExecuteReaderAsync(command.RelationalCommand, command.ParameterValues, cancellationToken);
    }

    /// <summary>Runs a command built with EF's command builder, whose parameters carry their own values, the same way.</summary>
    public static Task<RelationalDataReader> ExecuteReaderAsync(this DbContext db, IRelationalCommand command, CancellationToken cancellationToken) =>
        db.ExecuteReaderAsync(command, NoValues, cancellationToken);

    private static readonly IReadOnlyDictionary<string, object?> NoValues = new Dictionary<string, object?>();

    private static Task<RelationalDataReader> ExecuteReaderAsync(this DbContext db, IRelationalCommand command,
        IReadOnlyDictionary<string, object?> values, CancellationToken cancellationToken) =>
        command.ExecuteReaderAsync(new RelationalCommandParameterObject(db.GetService<IRelationalConnection>(), values, readerColumns: null, db,
            db.GetService<IRelationalCommandDiagnosticsLogger>()), cancellationToken);
}
