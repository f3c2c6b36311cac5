using IntelliFace.Embedding;
using IntelliFace.Vault;

namespace IntelliFace.Tests.Vault;

/// <summary>A fresh directory per test, deleted afterwards.</summary>
internal sealed class TestDirectory : IDisposable
{
    public TestDirectory()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "intelliface-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose() => Directory.Delete(Path, recursive: true);
}

/// <summary>A master key whose 32 bytes all equal <paramref name="fill"/>.</summary>
internal sealed class FixedMasterKeyProvider(byte fill) : IMasterKeyProvider
{
    public IMasterKey GetMasterKey() => new MasterKey(Enumerable.Repeat(fill, MasterKey.ByteLength).ToArray());
}

internal static class TestEmbeddings
{
    public static readonly PackId PackA = new("test-pack-a@1");
    public static readonly PackId PackB = new("test-pack-b@1");

    /// <summary>Distinct, recognisable values per seed (no zeros, so their bytes are not common filler).</summary>
    public static FaceEmbedding Make(PackId pack, int seed) =>
        new(pack, Enumerable.Range(0, FaceEmbedding.Dimension).Select(i => 1.0f + seed * 0.001f + i * 0.0001f).ToArray());
}

internal static class Hex
{
    public static byte[] Bytes(string hex) => Convert.FromHexString(string.Concat(hex.Where(char.IsAsciiHexDigit)));

    public static byte[] Range(int first, int count) => Enumerable.Range(first, count).Select(i => (byte)i).ToArray();
}

/// <summary>A clock that moves only when told.</summary>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}

/// <summary>Table-driven refusals: each call must throw a <see cref="FaceException"/> with exactly this code and message.</summary>
internal static class Refusals
{
    public static void AssertAll(params (Action Call, string Code, string Message)[] cases)
    {
        foreach (var (call, code, message) in cases)
        {
            var error = Assert.Throws<FaceException>(call);
            Assert.Equal((code, message), (error.Code, error.Message));
        }
    }
}
