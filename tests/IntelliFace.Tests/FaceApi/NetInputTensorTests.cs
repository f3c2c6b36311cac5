using IntelliFace.Alignment;

namespace IntelliFace.Tests.FaceApi;

public sealed class NetInputTensorTests
{
    public static TheoryData<string> GoldenImages => [.. FaceApiGolden.Images.Select(image => image.File)];

    [Theory]
    [MemberData(nameof(GoldenImages))]
    public void The_landmark_and_recognition_inputs_of_face0_equal_face_api_bit_for_bit(string file)
    {
        var golden = FaceApiGolden.Images.Single(image => image.File == file);
        var face = golden.Faces[0];
        using var image = FaceApiGolden.LoadPng(file);

        var landmarkInput = NetInputTensor.FromCrop(image, face.LandmarkCrop, 112);
        var recognitionInput = NetInputTensor.FromCrop(image, face.DescriptorCrop, 150);

        AssertBitIdentical(FaceApiGolden.ReadNetInput(face.LandmarkInputFile!), landmarkInput);
        AssertBitIdentical(FaceApiGolden.ReadNetInput(face.RecognitionInputFile!), recognitionInput);
    }

    [Fact]
    public void A_crop_already_at_the_net_size_is_copied_unchanged()
    {
        using var image = new IntelliFace.Imaging.RgbImage(4, 3);
        for (var i = 0; i < image.ByteLength; i++) image.Pixels[i] = (byte)(i * 7);

        var tensor = NetInputTensor.FromCrop(image, new Detection.PixelRect(1, 0, 3, 3), 3);

        var expected = new float[27];
        for (var y = 0; y < 3; y++)
            for (var x = 0; x < 3; x++)
                for (var c = 0; c < 3; c++)
                    expected[(y * 3 + x) * 3 + c] = image.Pixels[y * 12 + (x + 1) * 3 + c];
        Assert.Equal(expected, tensor);
    }

    [Fact]
    public void An_odd_padding_puts_the_extra_zero_column_after_the_crop()
    {
        // A 1-wide, 4-tall crop becomes a 4x4 square: 1 zero column before, 2 after (round(1.5) = 2).
        using var image = new IntelliFace.Imaging.RgbImage(1, 4);
        image.Pixels.Fill(200);

        var tensor = NetInputTensor.FromCrop(image, new Detection.PixelRect(0, 0, 1, 4), 4);

        for (var y = 0; y < 4; y++)
        {
            Assert.Equal([0f, 200f, 0f, 0f], Enumerable.Range(0, 4).Select(x => tensor[(y * 4 + x) * 3]).ToArray());
        }
    }

    private static void AssertBitIdentical(float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        var mismatches = Enumerable.Range(0, expected.Length)
            .Where(i => BitConverter.SingleToInt32Bits(expected[i]) != BitConverter.SingleToInt32Bits(actual[i]))
            .ToArray();
        Assert.True(mismatches.Length == 0,
            $"{mismatches.Length} values differ; first at {mismatches.FirstOrDefault()}: expected {expected[mismatches.FirstOrDefault()]:R}, got {actual[mismatches.FirstOrDefault()]:R}");
    }
}
