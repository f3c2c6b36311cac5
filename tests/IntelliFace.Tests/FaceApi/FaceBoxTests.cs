using IntelliFace.Detection;

namespace IntelliFace.Tests.FaceApi;

public sealed class FaceBoxTests
{
    [Fact]
    public void Clipping_floors_x_y_width_and_height_separately_like_face_api()
    {
        // right = 13.2 and bottom = 10.3, yet the crop ends at 10 + 2 = 12 and 5 + 4 = 9.
        var box = new FaceBox(10.6, 5.7, 2.6, 4.6);

        Assert.Equal(new PixelRect(10, 5, 2, 4), box.ClipAtImageBorders(100, 100));
    }

    [Fact]
    public void Clipping_clamps_the_box_to_the_image()
    {
        var box = new FaceBox(-3.5, -1.25, 20.75, 30.5);

        // x = 0, width = min(17.25 - 0, 16 - 0) = 16; y = 0, height = min(29.25, 12) = 12.
        Assert.Equal(new PixelRect(0, 0, 16, 12), box.ClipAtImageBorders(16, 12));
    }
}
