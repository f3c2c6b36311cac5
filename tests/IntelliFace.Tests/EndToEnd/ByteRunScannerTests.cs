namespace IntelliFace.Tests.EndToEnd;

public sealed class ByteRunScannerTests
{
    [Fact]
    public void Finds_a_64_byte_run_of_a_photo_planted_at_any_offset_and_nothing_shorter()
    {
        var photo = File.ReadAllBytes(DeepFacePhotos.PathOf("img1.jpg"));
        var planted = new byte[1000];
        photo.AsSpan(5003, 64).CopyTo(planted.AsSpan(337));
        var tooShort = new byte[1000];
        photo.AsSpan(5003, 63).CopyTo(tooShort.AsSpan(337));

        var withRun = new ByteRunScanner();
        withRun.Add("planted", planted);
        var withoutRun = new ByteRunScanner();
        withoutRun.Add("short", tooShort);

        Assert.Equal("planted at byte 337", withRun.FindRunOf(photo));
        Assert.Null(withoutRun.FindRunOf(photo));
    }
}
