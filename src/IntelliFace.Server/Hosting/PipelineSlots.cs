namespace IntelliFace.Server.Hosting;

/// <summary>
/// How many requests run the face pipeline at once: one per core by default. The pipeline is CPU-bound, so more at
/// once only adds context switches and memory (a decoded 50-megapixel photo holds 150 MB); requests past the slots
/// wait without holding a thread, so health checks and other requests keep being served.
/// </summary>
internal sealed class PipelineSlots(int slots) : IDisposable
{
    private readonly SemaphoreSlim _free = new(slots, slots);

    public int Slots => slots;

    /// <summary>Waits for a free slot; dispose the result to give it back.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellation)
    {
        await _free.WaitAsync(cancellation);
        return new Slot(_free);
    }

    public void Dispose() => _free.Dispose();

    private sealed class Slot(SemaphoreSlim free) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) free.Release();
        }
    }
}
