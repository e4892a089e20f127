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
        return command.RelationalCommand.ExecuteReaderAsync(new RelationalCommandParameterObject(db.GetService<IRelationalConnection>(),
            command.ParameterValues, readerColumns: null, db, db.GetService<IRelationalCommandDiagnosticsLogger>()), cancellationToken);
    }
}
