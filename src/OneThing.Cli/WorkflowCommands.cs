using OneThing.Engine;

namespace OneThing.Cli;

/// <summary>
/// Tools for workflow authors: <c>workflows validate [dir]</c> checks every file as the service would at start-up,
/// <c>workflows diagram &lt;id or file&gt; [--dir dir]</c> prints a Mermaid flowchart of one workflow.
/// </summary>
public static class WorkflowCommands
{
    public const int Ok = 0;
    public const int Invalid = 1;
    public const int Usage = 2;

    private const string Help =
        """
        usage:
          onething workflows validate [directory]              check every workflow file (default: the workflows/ folder found above here)
          onething workflows diagram <workflow id | file> [--dir directory]
                                                               print a Mermaid flowchart of one workflow
        """ + "\n" + CalendarCommands.Usage;

    public static int Run(string[] args, TextWriter output, TextWriter error, TimeProvider? clock = null)
    {
        clock ??= TimeProvider.System;
        switch (args)
        {
            case ["calendar", "check", "--until", var until]:
                return CalendarCommands.Check(until, Path.Combine(LocateDirectory(), "calendars"), clock, output, error);
            case ["calendar", "check", "--until", var until, "--dir", var directory]:
                return CalendarCommands.Check(until, directory, clock, output, error);
            case ["calendar", "check", "--dir", var directory, "--until", var until]:
                return CalendarCommands.Check(until, directory, clock, output, error);
            case ["workflows", "validate"]:
                return Validate(LocateDirectory(), output, error);
            case ["workflows", "validate", var directory]:
                return Validate(directory, output, error);
            case ["workflows", "diagram", var workflow]:
                return Diagram(workflow, LocateDirectory(), output, error);
            case ["workflows", "diagram", var workflow, "--dir", var directory]:
                return Diagram(workflow, directory, output, error);
            case ["workflows", "diagram", "--dir", var directory, var workflow]:
                return Diagram(workflow, directory, output, error);
            case ["help" or "--help" or "-h"]:
                output.WriteLine(Help);
                return Ok;
            default:
                error.WriteLine(Help);
                return Usage;
        }
    }

    private static int Validate(string directory, TextWriter output, TextWriter error)
    {
        if (!Directory.Exists(directory))
        {
            error.WriteLine($"{directory}: no such directory");
            return Invalid;
        }

        try
        {
            var (departments, workflows) = WorkflowLoader.LoadDirectory(directory);
            output.WriteLine($"ok  {WorkflowLoader.DepartmentsFileName}: {departments.All.Count} departments");
            foreach (var workflow in workflows)
            {
                var definition = workflow.Definition;
                output.WriteLine($"ok  {workflow.FileName}: {definition.Id} ({definition.Name.Zh}), {definition.Steps.Count} steps");
            }

            output.WriteLine($"{workflows.Count} workflows are valid.");
            return Ok;
        }
        catch (WorkflowValidationException exception)
        {
            foreach (var problem in exception.Errors)
            {
                error.WriteLine(problem);
            }

            var files = exception.Errors.Select(problem => problem.File).Distinct().Count();
            error.WriteLine($"{exception.Errors.Count} problem{(exception.Errors.Count == 1 ? "" : "s")} in {files} file{(files == 1 ? "" : "s")}.");
            return Invalid;
        }
    }

    private static int Diagram(string workflow, string directory, TextWriter output, TextWriter error)
    {
        try
        {
            var (departments, workflows) = WorkflowLoader.LoadDirectory(File.Exists(workflow) ? Path.GetDirectoryName(Path.GetFullPath(workflow))! : directory);
            var found = workflows.FirstOrDefault(w => w.Definition.Id == workflow || w.FileName == Path.GetFileName(workflow));
            if (found is null)
            {
                error.WriteLine($"No workflow '{workflow}'; there are: {string.Join(", ", workflows.Select(w => w.Definition.Id))}");
                return Invalid;
            }

            output.Write(MermaidDiagram.Render(found.Definition, departments));
            return Ok;
        }
        catch (WorkflowValidationException exception)
        {
            foreach (var problem in exception.Errors)
            {
                error.WriteLine(problem);
            }

            return Invalid;
        }
        catch (IOException exception)
        {
            error.WriteLine(exception.Message);
            return Invalid;
        }
    }

    private static string LocateDirectory()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "workflows");
            if (File.Exists(Path.Combine(candidate, WorkflowLoader.DepartmentsFileName)))
            {
                return candidate;
            }
        }

        return "workflows";
    }
}
