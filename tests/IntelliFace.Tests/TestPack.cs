using System.Runtime.CompilerServices;
using IntelliFace.Models;

namespace IntelliFace.Tests;

/// <summary>
/// The pack the tests run when they name none. The end-to-end figures (DeepFace outcomes, hard-file codes, CLI and API
/// answers) are pinned on <c>faceapi-dlib</c>, the pack with a reference implementation (face-api 1.7.15) to check them
/// against, so the tests set <c>INTELLIFACE_PACK</c> to it for themselves and the programs they start. Tests of other
/// packs, the default included, name theirs (<c>DlibChipPackTests</c>, <c>DefaultPackCliTests</c>).
/// </summary>
internal static class TestPack
{
    public const string Name = "faceapi-dlib";

#pragma warning disable CA2255 // A test assembly's process-wide setting, made before any test reads the environment.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Pin() => Environment.SetEnvironmentVariable(PackManifest.PackVariable, Name);
}
