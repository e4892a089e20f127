using OneThing.Cli;

return WorkflowCommands.Run(args, Console.Out, Console.Error);
