using OneThing.Processing.Accounts;

namespace OneThing.Api.Web.Shared;

/// <summary>How roles and audited actions read on screen, in both languages; an unknown code shows as itself.</summary>
public static class StaffLabels
{
    public static string Role(string? role) => role switch
    {
        Roles.Clerk => Lang.T("窗口人员", "Clerk"),
        Roles.Reviewer => Lang.T("部门审批人员", "Department reviewer"),
        Roles.Supervisor => Lang.T("督办人员", "Supervisor"),
        Roles.Admin => Lang.T("系统管理员", "Administrator"),
        Roles.Reporter => Lang.T("事件上报系统", "Incident reporter"),
        "department-system" => Lang.T("部门系统", "Department system"),
        "applicant" => Lang.T("申请人", "Applicant"),
        "anonymous" or null => Lang.T("匿名", "Anonymous"),
        _ => role,
    };

    public static string AuditAction(string action) => action switch
    {
        "sign-in" => Lang.T("登录", "Signed in"),
        "sign-in-failed" => Lang.T("登录失败", "Sign-in failed"),
        "sign-out" => Lang.T("退出登录", "Signed out"),
        "sign-in-throttled" => Lang.T("登录受限（失败过多）", "Sign-in throttled"),
        "account-locked" => Lang.T("账户被锁定", "Account locked"),
        "demo-account-disabled" => Lang.T("停用演示账户", "Demo account disabled"),
        "case-filed" => Lang.T("受理办件", "Case filed"),
        "personal-data-read" => Lang.T("查看完整个人信息", "Full personal data read"),
        "task-claimed" => Lang.T("认领任务", "Task claimed"),
        "task-approved" => Lang.T("审批通过", "Task approved"),
        "task-rejected" => Lang.T("不予通过", "Task rejected"),
        "case-urged" => Lang.T("督办催办", "Case urged"),
        "task-reassigned" => Lang.T("改派任务", "Task reassigned"),
        "account-created" => Lang.T("创建账户", "Account created"),
        "account-unlocked" => Lang.T("解锁账户", "Account unlocked"),
        "password-changed" => Lang.T("修改本人密码", "Own password changed"),
        "password-change-refused" => Lang.T("修改密码被拒", "Password change refused"),
        "password-reset" => Lang.T("重置密码", "Password reset"),
        "account-disabled" => Lang.T("停用账户", "Account disabled"),
        "account-enabled" => Lang.T("启用账户", "Account enabled"),
        "account-role-changed" => Lang.T("变更岗位或部门", "Role or department changed"),
        "refresh-token-reused" => Lang.T("刷新令牌被重复使用", "Refresh token reused"),
        "case-rated" => Lang.T("办件评价", "Case rated"),
        "supplement-requested" => Lang.T("要求补正", "Supplement requested"),
        "supplement-submitted" => Lang.T("提交补正材料", "Supplement submitted"),
        "case-withdrawn" => Lang.T("撤回办件", "Case withdrawn"),
        "case-change-refused" => Lang.T("办件变更被拒", "Case change refused"),
        "extension-requested" => Lang.T("申请延期", "Extension requested"),
        "extension-granted" => Lang.T("批准延期", "Extension granted"),
        "extension-refused" => Lang.T("不予延期", "Extension refused"),
        "case-migrated" => Lang.T("办件迁移至新版本", "Case moved to a new version"),
        "migration-dry-run" => Lang.T("迁移预演", "Migration dry run"),
        "attachment-uploaded" => Lang.T("上传附件", "Attachment uploaded"),
        "attachment-downloaded" => Lang.T("下载附件", "Attachment downloaded"),
        "attachment-download-refused" => Lang.T("附件下载被拒", "Attachment download refused"),
        "department-joined" => Lang.T("一键协同：增加协办部门", "Department joined"),
        "department-join-refused" => Lang.T("一键协同被拒", "Joining a department refused"),
        "elder-enrolled" => Lang.T("登记独居老人（智能水表）", "Elder enrolled (smart water meter)"),
        "enrolment-updated" => Lang.T("更正老人登记信息", "Enrolment corrected"),
        "enrolment-ended" => Lang.T("注销老人登记", "Enrolment ended"),
        _ => action,
    };

    public static string AuditTarget(string? type) => type switch
    {
        "case" => Lang.T("办件", "Case"),
        "task" => Lang.T("任务", "Task"),
        "account" => Lang.T("账户", "Account"),
        "attachment" => Lang.T("附件", "Attachment"),
        "enrolled-elder" => Lang.T("登记老人", "Enrolled elder"),
        null => "",
        _ => type,
    };
}
