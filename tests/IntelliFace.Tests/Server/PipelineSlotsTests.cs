using IntelliFace.Server;
using IntelliFace.Server.Hosting;

namespace IntelliFace.Tests.Server;

/// <summary>The pipeline's slots: as many requests run it at once as there are slots; the others wait without a thread.</summary>
public sealed class PipelineSlotsTests
{
    [Fact]
    public async Task A_request_past_the_slots_waits_until_one_is_given_back()
    {
        using var slots = new PipelineSlots(2);
        var first = await slots.EnterAsync(CancellationToken.None);
        var second = await slots.EnterAsync(CancellationToken.None);
        var third = slots.EnterAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(third.IsCompleted);

        second.Dispose();
        second.Dispose();
        using var entered = await third.WaitAsync(TimeSpan.FromSeconds(5));
        first.Dispose();

        // Giving a slot back twice frees it once: two slots, both taken again, and a fourth waits.
        using var again = await slots.EnterAsync(CancellationToken.None);
        var fourth = slots.EnterAsync(CancellationToken.None);
        await Task.Delay(50);
        Assert.False(fourth.IsCompleted);
        entered.Dispose();
        (await fourth.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public async Task A_client_that_goes_away_while_waiting_takes_no_slot()
    {
        using var slots = new PipelineSlots(1);
        var held = await slots.EnterAsync(CancellationToken.None);
        using var gone = new CancellationTokenSource();
        var waiting = slots.EnterAsync(gone.Token);
        await gone.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);

        held.Dispose();
        (await slots.EnterAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
    }

    [Fact]
    public void Options_without_a_slot_are_refused()
    {
        var error = Assert.Throws<FaceException>(() => new ServerOptions { PipelineSlots = 0 }.Validate());
        Assert.Equal(FaceErrorCode.InvalidArgument, error.Code);
        Assert.Equal(Environment.ProcessorCount, new ServerOptions().PipelineSlots);
    }
}
