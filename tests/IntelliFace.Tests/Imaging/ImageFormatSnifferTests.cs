using System.Text;
using IntelliFace.Imaging;

namespace IntelliFace.Tests.Imaging;

public class ImageFormatSnifferTests
{
    [Theory]
    [InlineData("FF D8 FF E0 00 10 4A 46", "Jpeg")]
    [InlineData("89 50 4E 47 0D 0A 1A 0A 00 00 00 0D", "Png")]
    [InlineData("52 49 46 46 24 00 00 00 57 45 42 50 56 50 38 20", "WebP")] // RIFF....WEBPVP8
    [InlineData("47 49 46 38 37 61 01 00", "Gif")]                           // GIF87a
    [InlineData("47 49 46 38 39 61 01 00", "Gif")]                           // GIF89a
    [InlineData("42 4D 8A C0 00 00 00 00 00 00 8A 00 00 00 7C 00 00 00", "Bmp")] // BM, DIB header 124
    [InlineData("42 4D 36 00 00 00 00 00 00 00 36 00 00 00 28 00 00 00", "Bmp")] // BM, DIB header 40
    public void Magic_bytes_name_the_format(string hex, string expected)
    {
        Assert.Equal(expected, ImageFormatSniffer.Sniff(Convert.FromHexString(hex.Replace(" ", ""))).ToString());
    }

    [Theory]
    [InlineData("49 49 2A 00 08 00 00 00", "TIFF images are not supported")]                        // little-endian TIFF
    [InlineData("4D 4D 00 2A 00 00 00 08", "TIFF images are not supported")]                        // big-endian TIFF
    [InlineData("00 00 00 18 66 74 79 70 68 65 69 63 00 00 00 00 6D 69 66 31 68 65 69 63", "HEIC/HEIF images are not supported")] // ftyp heic
    [InlineData("00 00 00 1C 66 74 79 70 61 76 69 66 00 00 00 00 61 76 69 66 6D 69 66 31 6D 69 61 66", "AVIF images are not supported")] // ftyp avif
    [InlineData("00 00 00 18 66 74 79 70 6D 69 66 31 00 00 00 00 6D 69 66 31 61 76 69 66", "AVIF images are not supported")] // mif1 listing avif
    [InlineData("00 00 00 18 66 74 79 70 69 73 6F 6D 00 00 02 00 69 73 6F 6D 6D 70 34 31", "not a recognised image")] // an MP4 video
    [InlineData("42 4D 20 69 73 20 6E 6F 74 20 61 20 62 69 74 6D 61 70", "not a recognised image")] // "BM is not a bitmap"
    [InlineData("FF D8", "not a recognised image")]                                                  // too short for a JPEG
    [InlineData("", "not a recognised image")]
    public void Recognised_but_undecodable_and_unknown_bytes_are_unsupported_with_a_message_naming_them(string hex, string message)
    {
        var e = Assert.Throws<FaceException>(() => ImageFormatSniffer.Sniff(Convert.FromHexString(hex.Replace(" ", ""))));
        Assert.Equal(FaceErrorCode.UnsupportedFormat, e.Code);
        Assert.Contains(message, e.Message);
    }

    [Fact]
    public void A_text_file_is_not_a_recognised_image()
    {
        var e = Assert.Throws<FaceException>(() => ImageFormatSniffer.Sniff(Encoding.ASCII.GetBytes("this is not an image\n")));
        Assert.Equal("The file is not a recognised image; send JPEG, PNG, WebP, GIF or BMP.", e.Message);
    }
}
