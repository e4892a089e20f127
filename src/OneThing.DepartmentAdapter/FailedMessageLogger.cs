using MassTransit;
using OneThing.Contracts;

namespace OneThing.DepartmentAdapter;

/// <summary>
/// Sees a message only once retries are exhausted (retry sits inside the consume pipe), when MassTransit moves it to
/// the queue's _error queue: logged with its message id so an operator can find it there.
/// </summary>
public sealed class FailedMessageLogger(ILogger<FailedMessageLogger> logger) : IReceiveObserver
{
    public Task PreReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostReceive(ReceiveContext context) => Task.CompletedTask;

    public Task PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType)
        where T : class => Task.CompletedTask;

    public Task ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception)
        where T : class
    {
        // MassTransit has just logged the stack trace (R-FAULT); this line adds which task it was.
        var taskId = context.Message switch
        {
            RequestDepartmentTask request => request.TaskId,
            CancelDepartmentTask cancel => cancel.TaskId,
            UrgeDepartmentTask urge => urge.TaskId,
            _ => (Guid?)null,
        };
        // The exception's type only: its message may quote what the department system was sent or answered.
        logger.LogError("Giving up on {MessageType} {MessageId} for task {TaskId} from {InputAddress} ({Error}); moved to its _error queue",
            typeof(T).Name, context.MessageId, taskId, context.ReceiveContext.InputAddress, exception.GetType().Name);
        return Task.CompletedTask;
    }

    public Task ReceiveFault(ReceiveContext context, Exception exception)
    {
        var messageId = context.GetMessageId();
        logger.LogError("Could not read message {MessageId} from {InputAddress} ({Error}); moved to its _error queue",
            messageId, context.InputAddress, exception.GetType().Name);
        return Task.CompletedTask;
    }
}
