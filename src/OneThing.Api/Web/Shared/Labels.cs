using OneThing.Engine;
using OneThing.Processing.Cases;
using Radzen;

namespace OneThing.Api.Web.Shared;

/// <summary>How states, lights and history entries read on screen, in both languages, and the colours that go with them.</summary>
public static class Labels
{
    public static string CaseStatus(string status) => status switch
    {
        "running" => Lang.T("办理中", "In progress"),
        "completed" => Lang.T("已办结", "Completed"),
        "rejected" => Lang.T("不予通过", "Rejected"),
        "withdrawn" => Lang.T("已撤回", "Withdrawn"),
        _ => status,
    };

    /// <summary>Names in a run: 公安户籍、社保 in Chinese, "a, b" in English; blanks (a step without a department) are left out, not left as "、".</summary>
    public static string List(IEnumerable<string?> names) =>
        string.Join(Lang.T("、", ", "), names.Where(n => !string.IsNullOrWhiteSpace(n)).Distinct());

    /// <summary>A service-level target in words: 30 个工作日, 4 小时 (the workflow files write "30 workdays", "4h").</summary>
    public static string Sla(Sla? sla) => sla switch
    {
        null => Lang.T("无时限", "No deadline"),
        { Unit: SlaUnit.WorkDays } => Lang.T($"{sla.Amount} 个工作日", Plural(sla.Amount, "working day")),
        { Unit: SlaUnit.WorkHours } => Lang.T($"{sla.Amount} 个工作小时", Plural(sla.Amount, "working hour")),
        { Unit: SlaUnit.Minutes } => Lang.T($"{sla.Amount} 分钟", Plural(sla.Amount, "minute")),
        { Unit: SlaUnit.Hours } => Lang.T($"{sla.Amount} 小时", Plural(sla.Amount, "hour")),
        _ => Lang.T($"{sla.Amount} 天", Plural(sla.Amount, "day")),
    };

    /// <summary>The same for a target as stored with a task or case ("2 workdays"); what does not parse is shown as it is.</summary>
    public static string Sla(string? text) =>
        text is null ? Sla((Sla?)null) : Engine.Sla.TryParse(text, out var sla, out _) ? Sla(sla) : text;

    private static string Plural(int amount, string unit) => amount == 1 ? $"1 {unit}" : $"{amount} {unit}s";

    public static string AwaitingSupplement => Lang.T("待补正", "Awaiting supplement");

    /// <summary>The diagram's state for an active step whose reviewer waits for a supplement.</summary>
    public const string SupplementState = "supplement";

    public static BadgeStyle CaseStatusStyle(string status) => status switch
    {
        "completed" => BadgeStyle.Success,
        "rejected" => BadgeStyle.Danger,
        "withdrawn" => BadgeStyle.Light,
        _ => BadgeStyle.Info,
    };

    /// <summary>A step's state in a case: waiting, active, approved, rejected, skipped, cancelled.</summary>
    public static string StepState(string state) => state switch
    {
        "waiting" => Lang.T("等待前序", "Waiting"),
        "active" => Lang.T("办理中", "In progress"),
        "approved" => Lang.T("已通过", "Approved"),
        "rejected" => Lang.T("不予通过", "Rejected"),
        "skipped" => Lang.T("无需办理", "Not needed"),
        "cancelled" => Lang.T("已取消", "Cancelled"),
        SupplementState => AwaitingSupplement,
        _ => state,
    };

    public static BadgeStyle StepStateStyle(string state) => state switch
    {
        "active" => BadgeStyle.Info,
        "approved" => BadgeStyle.Success,
        "rejected" => BadgeStyle.Danger,
        _ => BadgeStyle.Light,
    };

    /// <summary>A department task's state: dispatched, open, claimed, approved, rejected, cancelled.</summary>
    public static string TaskState(string? state) => state switch
    {
        "dispatched" => Lang.T("派送中", "Being delivered"),
        "open" => Lang.T("待认领", "Unclaimed"),
        "claimed" => Lang.T("办理中", "Claimed"),
        "awaiting-supplement" => AwaitingSupplement,
        "approved" => Lang.T("已通过", "Approved"),
        "rejected" => Lang.T("不予通过", "Rejected"),
        "cancelled" => Lang.T("已取消", "Cancelled"),
        null => "—",
        _ => state,
    };

    /// <summary>A step outcome declared in a workflow (the YAML names them in English words).</summary>
    public static string Outcome(string outcome) => outcome switch
    {
        "approved" => Lang.T("同意", "Approved"),
        "rejected" => Lang.T("不予通过", "Rejected"),
        "resolved" => Lang.T("已解决", "Resolved"),
        "unresolved" => Lang.T("未解决", "Unresolved"),
        "compliant" => Lang.T("合规", "Compliant"),
        "violation" => Lang.T("违规", "Violation"),
        "disputed" => Lang.T("有争议", "Disputed"),
        "confirmed" => Lang.T("确认隐患", "Confirmed"),
        "not-a-hazard" => Lang.T("非隐患", "Not a hazard"),
        "exceeds" => Lang.T("超标", "Exceeds limits"),
        "within-limits" => Lang.T("未超标", "Within limits"),
        "moved" => Lang.T("已挪车", "Moved"),
        "towed" => Lang.T("已拖移", "Towed"),
        "rectified" => Lang.T("已整改", "Rectified"),
        "not-rectified" => Lang.T("未整改", "Not rectified"),
        "safe" => Lang.T("平安", "Safe"),
        "needs-help" => Lang.T("需要帮助", "Needs help"),
        "no-contact" => Lang.T("无法联系", "No contact"),
        "treated" => Lang.T("已救治", "Treated"),
        "hospitalised" => Lang.T("已送医", "Hospitalised"),
        "not-needed" => Lang.T("无需处置", "Not needed"),
        "breached" => Lang.T("超期", "Breached"),
        "elapsed" => Lang.T("期满", "Elapsed"),
        "sent" => Lang.T("已发送", "Sent"),
        "skipped" => Lang.T("无需办理", "Not needed"),
        _ => outcome,
    };

    /// <summary>Where a notification stands: pending (being sent or retried), delivered, or failed (given up after the last retry).</summary>
    public static string Delivery(string delivery) => delivery switch
    {
        "delivered" => Lang.T("已送达", "Delivered"),
        "pending" => Lang.T("重试中", "Retrying"),
        "failed" => Lang.T("发送失败", "Failed"),
        _ => delivery,
    };

    public static BadgeStyle DeliveryStyle(string delivery) => delivery switch
    {
        "delivered" => BadgeStyle.Success,
        "failed" => BadgeStyle.Danger,
        _ => BadgeStyle.Info,
    };

    /// <summary>The channels a notification is routed to; the log channel is where SMS ends while no gateway is configured.</summary>
    public static string Channels(string? channels) => string.IsNullOrEmpty(channels)
        ? "—"
        : string.Join(Lang.T("、", ", "), channels.Split(',').Select(channel => channel switch
        {
            "log" => Lang.T("日志（未接短信网关）", "Log (no SMS gateway)"),
            "smtp" => Lang.T("电子邮件", "E-mail"),
            "webhook" => Lang.T("政务通讯机器人", "Messenger robot"),
            _ => channel,
        }));

    /// <summary>Who a notification goes to: the applicant, the clerk, or whoever's number a form field holds (named by the field's label).</summary>
    public static string Recipient(string recipient, WorkflowDefinition? definition) => recipient switch
    {
        NotificationSpec.Applicant => Lang.T("申请人", "Applicant"),
        NotificationSpec.Clerk => Lang.T("窗口人员", "Clerk"),
        _ => definition?.FindField(recipient)?.Label.Pick() is { Length: > 0 } label ? label : recipient,
    };

    public static string Light(string? light) => light switch
    {
        "green" => Lang.T("绿灯", "Green"),
        "yellow" => Lang.T("黄灯", "Yellow"),
        "red" => Lang.T("红灯", "Red"),
        _ => Lang.T("无时限", "No deadline"),
    };

    public static string HistoryEntry(string type) => type switch
    {
        CaseEventTypes.CaseFiled => Lang.T("窗口受理", "Filed at the window"),
        CaseEventTypes.TaskDispatched => Lang.T("派发至部门", "Sent to the department"),
        CaseEventTypes.TaskRedispatched => Lang.T("重新派发", "Sent again"),
        CaseEventTypes.TaskReceived => Lang.T("部门已签收", "Received by the department"),
        CaseEventTypes.TaskClaimed => Lang.T("认领办理", "Claimed"),
        CaseEventTypes.TaskApproved => Lang.T("审批通过", "Approved"),
        CaseEventTypes.TaskRejected => Lang.T("不予通过", "Rejected"),
        CaseEventTypes.TaskCancelled => Lang.T("任务取消", "Task cancelled"),
        CaseEventTypes.StepSkipped => Lang.T("无需办理", "Step not needed"),
        CaseEventTypes.CaseCompleted => Lang.T("办结", "Case completed"),
        CaseEventTypes.CaseRejected => Lang.T("办件不予通过", "Case rejected"),
        CaseEventTypes.TaskWarning => Lang.T("临近期限（黄灯）", "Deadline near (yellow)"),
        CaseEventTypes.TaskBreached => Lang.T("超期（红灯）", "Deadline missed (red)"),
        CaseEventTypes.TaskEscalated => Lang.T("超期升级", "Escalated"),
        CaseEventTypes.CaseWarning => Lang.T("办件临近期限", "Case deadline near"),
        CaseEventTypes.CaseBreached => Lang.T("办件超期", "Case deadline missed"),
        CaseEventTypes.TaskUrged => Lang.T("督办催办", "Urged by supervision"),
        CaseEventTypes.TaskReassigned => Lang.T("改派", "Reassigned"),
        CaseEventTypes.WaitStarted => Lang.T("开始等待期限", "Waiting period started"),
        CaseEventTypes.WaitCancelled => Lang.T("等待取消", "Waiting period cancelled"),
        CaseEventTypes.NotificationSent => Lang.T("发送通知", "Notification sent"),
        CaseEventTypes.StepEnded => Lang.T("环节结束", "Step ended"),
        CaseEventTypes.StepForced => Lang.T("超期启动", "Started on breach"),
        CaseEventTypes.StepReevaluated => Lang.T("因重复上报启动", "Started by a further report"),
        CaseEventTypes.SupplementRequested => Lang.T("要求补正", "Supplement requested"),
        CaseEventTypes.SupplementSubmitted => Lang.T("提交补正材料", "Supplement submitted"),
        CaseEventTypes.TaskResumed => Lang.T("恢复办理", "Resumed"),
        CaseEventTypes.CaseWithdrawn => Lang.T("申请人撤回", "Withdrawn by the applicant"),
        CaseEventTypes.IncidentReported => Lang.T("事件上报", "Incident reported"),
        CaseEventTypes.ReportAttached => Lang.T("合并重复上报", "Duplicate report attached"),
        CaseEventTypes.CaseClockResumed => Lang.T("办件时限恢复计时", "Case clock running again"),
        CaseEventTypes.ExtensionRequested => Lang.T("申请延期", "Extension requested"),
        CaseEventTypes.ExtensionGranted => Lang.T("批准延期", "Extension granted"),
        CaseEventTypes.ExtensionRefused => Lang.T("不予延期", "Extension refused"),
        CaseEventTypes.CaseMigrated => Lang.T("迁移至新版流程", "Moved to a newer workflow version"),
        CaseEventTypes.DepartmentsChosen => Lang.T("分派承办部门", "Departments chosen"),
        CaseEventTypes.DepartmentJoined => Lang.T("一键协同：增加协办部门", "Department joined"),
        CaseEventTypes.LoopRepeated => Lang.T("进入下一轮", "Next round"),
        CaseEventTypes.LoopSatisfied => Lang.T("循环完成", "Loop done"),
        CaseEventTypes.LoopExhausted => Lang.T("轮次用尽", "Last round reached"),
        _ => type,
    };
}
