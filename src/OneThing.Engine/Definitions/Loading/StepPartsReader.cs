using YamlDotNet.RepresentationModel;

namespace OneThing.Engine;

/// <summary>Reads the parts of a step entry that are more than a plain value: join, on_reject, duration, on_breach, notify and sla.</summary>
internal static class StepPartsReader
{
    public static readonly string[] VerificationKeys = ["step", "independent"];

    public static JoinMode ReadJoin(YamlReader reader, YamlMappingNode entry, string step, int needCount)
    {
        switch (reader.Scalar(entry, "join", step, "", required: false))
        {
            case null or "all":
                return JoinMode.All;
            case "any":
                if (needCount < 2)
                {
                    reader.Error(step, "join: any needs at least two steps in needs");
                }

                return JoinMode.Any;
            case "all-chosen":
                return JoinMode.AllChosen;
            case var other:
                reader.Error(step, $"unknown join '{other}'; use all (every needed step has ended), any (the first one approved) or all-chosen (every department chosen at triage has ended)");
                return JoinMode.All;
        }
    }

    public static RejectionPolicy ReadRejectionPolicy(YamlReader reader, YamlMappingNode entry, string step)
    {
        switch (reader.Scalar(entry, "on_reject", step, "", required: false))
        {
            case null or "end-case":
                return RejectionPolicy.EndCase;
            case "continue":
                return RejectionPolicy.Continue;
            case var other:
                reader.Error(step, $"unknown on_reject '{other}'; use end-case (the case is rejected) or continue (the case goes on without this step)");
                return RejectionPolicy.EndCase;
        }
    }

    public static Sla? ReadDuration(YamlReader reader, YamlMappingNode entry, string step, StepKind? kind)
    {
        var text = reader.Scalar(entry, "duration", step, "", required: kind == StepKind.Wait);
        if (text is null)
        {
            return null;
        }

        if (kind is not StepKind.Wait)
        {
            reader.Error(step, "'duration' is only for wait steps; a deadline is written as sla");
            return null;
        }

        if (Sla.TryParse(text, out var duration, out var error))
        {
            return duration;
        }

        reader.Error(step, $"bad duration: {error}");
        return null;
    }

    public static BreachActions? ReadBreachActions(YamlReader reader, YamlMappingNode entry, string step, IReadOnlyList<FormField> form)
    {
        if (YamlReader.Get(entry, "on_breach") is not { } node)
        {
            return null;
        }

        if (reader.AsMapping(node, step, "on_breach") is not { } mapping)
        {
            return null;
        }

        const string prefix = "on_breach: ";
        reader.CheckKeys(mapping, step, prefix, "start", "cancel", "notify");
        var start = reader.List(mapping, "start", step, prefix);
        var cancel = reader.Bool(mapping, "cancel", step, prefix);
        var notify = YamlReader.Get(mapping, "notify") is { } notifyNode
            ? ReadNotification(reader, notifyNode, step, "on_breach.notify: ", form)
            : null;
        if (start.Count == 0 && !cancel && YamlReader.Get(mapping, "notify") is null)
        {
            reader.Error(step, "on_breach must say what happens: start, cancel and/or notify");
        }

        return new BreachActions(start.Distinct(StringComparer.Ordinal).ToList(), cancel, notify);
    }

    public static NotificationSpec? ReadNotification(YamlReader reader, YamlNode node, string step, string prefix, IReadOnlyList<FormField> form)
    {
        if (reader.AsMapping(node, step, prefix.TrimEnd(' ', ':')) is not { } mapping)
        {
            return null;
        }

        reader.CheckKeys(mapping, step, prefix, "to", "message");
        var to = reader.Scalar(mapping, "to", step, prefix, required: true);
        var message = reader.Text(mapping, "message", step, prefix, required: true);
        if (to is not null and not (NotificationSpec.Applicant or NotificationSpec.Clerk))
        {
            var field = form.FirstOrDefault(candidate => candidate.Key == to);
            if (field is null)
            {
                reader.Error(step, $"{prefix}unknown recipient '{to}'; use applicant, clerk or the key of a mobile field");
                return null;
            }

            if (field.Type != FieldType.Mobile)
            {
                reader.Error(step, $"{prefix}recipient field '{to}' is a {ConditionChecker.TypeName(field.Type)} field; a message can only go to a mobile field");
                return null;
            }
        }

        return to is null || message is null ? null : new NotificationSpec(to, message);
    }

    public static VerificationSpec? ReadVerification(YamlReader reader, YamlMappingNode entry, string step)
    {
        if (YamlReader.Get(entry, "verifies") is not { } node || reader.AsMapping(node, step, "verifies") is not { } mapping)
        {
            return null;
        }

        const string prefix = "verifies: ";
        reader.CheckKeys(mapping, step, prefix, VerificationKeys);
        var verified = reader.Scalar(mapping, "step", step, prefix, required: true);
        Independence? independence = reader.Scalar(mapping, "independent", step, prefix, required: false) switch
        {
            null or "person" => Independence.Person,
            "department" => Independence.Department,
            var other => Unknown(other),
        };
        return verified is null || independence is null ? null : new VerificationSpec(verified, independence.Value);

        Independence? Unknown(string other)
        {
            reader.Error(step, $"{prefix}unknown independent '{other}'; use person (another reviewer decides) or department (another department decides)");
            return null;
        }
    }

    public static Sla? ReadSla(YamlReader reader, YamlMappingNode mapping, string? step, string prefix, string key = "sla")
    {
        var text = reader.Scalar(mapping, key, step, prefix, required: false);
        if (text is null)
        {
            return null;
        }

        if (Sla.TryParse(text, out var sla, out var error))
        {
            return sla;
        }

        reader.Error(step, $"{prefix}bad {key}: {error}");
        return null;
    }
}
