using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.Win32.SafeHandles;

namespace IntelliFace.Vault;

/// <summary>
/// Reads the master key from a file holding the base64 of 32 bytes (44 characters; surrounding whitespace and
/// a trailing newline are ignored). Base64 text so the same value can be moved into a secret store or the
/// <c>INTELLIFACE_MASTER_KEY</c> variable unchanged.
/// <para>
/// On Unix the file must be private to its owner: a file that grants any permission to group or others is
/// refused (<c>key_unavailable</c>), as ssh does for private keys. A missing file is created when
/// <c>createIfMissing</c> is set, with a fresh random key and mode 0600 from the moment it exists;
/// <c>keyFileCreated</c> is then called with the path so the host can warn that production should supply
/// the key from a secret store. Thread-safe.
/// </para>
/// </summary>
public sealed class KeyFileMasterKeyProvider : IMasterKeyProvider
{
    private const int MaxFileBytes = 1024;
    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerOnlyDirectory = OwnerOnlyFile | UnixFileMode.UserExecute;
    private const UnixFileMode GroupOrOthers =
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private readonly bool _createIfMissing;
    private readonly Action<string>? _keyFileCreated;

    public KeyFileMasterKeyProvider(string path, bool createIfMissing, Action<string>? keyFileCreated = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Path = System.IO.Path.GetFullPath(path);
        _createIfMissing = createIfMissing;
        _keyFileCreated = keyFileCreated;
    }

    public string Path { get; }

    public IMasterKey GetMasterKey()
    {
        if (!File.Exists(Path))
        {
            if (!_createIfMissing)
            {
                throw new FaceException(FaceErrorCode.KeyUnavailable,
                    $"There is no master key file at {Path}. Supply it, or set INTELLIFACE_MASTER_KEY.");
            }
            if (CreateKeyFile()) _keyFileCreated?.Invoke(Path);
        }
        return ReadKeyFile();
    }

    /// <summary>Returns false when another process created the file first; its key is then the one to use.</summary>
    private bool CreateKeyFile()
    {
        var directory = System.IO.Path.GetDirectoryName(Path)!;
        if (!Directory.Exists(directory))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(directory);
            else Directory.CreateDirectory(directory, OwnerOnlyDirectory);
        }

        // Two first runs at once must not both publish a key: the loser's data would be sealed under a key
        // that no longer exists. The move below cannot refuse an existing target atomically, so creators
        // take turns on a lock file (an exclusive advisory lock, held only while creating).
        using var creatorLock = TakeCreatorLock();
        if (File.Exists(Path))
        {
            RemoveLockFile();
            return false;
        }

        var text = GC.AllocateArray<byte>(Base64.GetMaxEncodedToUtf8Length(MasterKey.ByteLength) + 1, pinned: true);
        Span<byte> key = stackalloc byte[MasterKey.ByteLength];
        var temporary = Path + ".tmp";
        try
        {
            RandomNumberGenerator.Fill(key);
            Base64.EncodeToUtf8(key, text, out _, out var written);
            text[written++] = (byte)'\n';

            // The mode is given to open(2) itself, so the file is never readable by others, not even briefly.
            // CreateNew, after removing a leftover, because an existing file would keep its old mode.
            File.Delete(temporary);
            using (var stream = new FileStream(temporary, OwnerOnly(FileMode.CreateNew)))
            {
                stream.Write(text, 0, written);
                stream.Flush(flushToDisk: true);
            }
            // Readers see no file or the complete one, never a partly written key.
            File.Move(temporary, Path, overwrite: false);
            RemoveLockFile();
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(text);
            File.Delete(temporary);
        }
    }

    private FileStream TakeCreatorLock()
    {
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                return new FileStream(Path + ".lock", OwnerOnly(FileMode.OpenOrCreate));
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
            catch (IOException e)
            {
                throw new FaceException(FaceErrorCode.KeyUnavailable, $"Another process has been creating the master key file {Path} for 10 s.", e);
            }
        }
    }

    // Only once the key file exists: whoever locks a removed lock file's inode later finds the key and stops.
    private void RemoveLockFile()
    {
        try
        {
            File.Delete(Path + ".lock");
        }
        catch (IOException)
        {
            // Windows keeps open files; a leftover lock file is harmless.
        }
    }

    private static FileStreamOptions OwnerOnly(FileMode mode)
    {
        var options = new FileStreamOptions { Mode = mode, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows()) options.UnixCreateMode = OwnerOnlyFile;
        return options;
    }

    private MasterKey ReadKeyFile()
    {
        var content = GC.AllocateArray<byte>(MaxFileBytes + 1, pinned: true);
        Span<byte> key = stackalloc byte[MasterKey.ByteLength];
        try
        {
            int length;
            try
            {
                using var handle = File.OpenHandle(Path, FileMode.Open, FileAccess.Read);
                RefuseSharedPermissions(handle);
                length = ReadAll(handle, content);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new FaceException(FaceErrorCode.KeyUnavailable, $"The master key file {Path} cannot be read: {e.Message}", e);
            }

            var text = content.AsSpan(0, length).Trim(" \t\r\n"u8);
            if (length > MaxFileBytes
                || Base64.DecodeFromUtf8(text, key, out var consumed, out var written) != System.Buffers.OperationStatus.Done
                || consumed != text.Length || written != MasterKey.ByteLength)
            {
                throw new FaceException(FaceErrorCode.KeyUnavailable,
                    $"The master key file {Path} must hold the base64 of exactly {MasterKey.ByteLength} bytes.");
            }
            return new MasterKey(key);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
            CryptographicOperations.ZeroMemory(content);
        }
    }

    private void RefuseSharedPermissions(SafeFileHandle handle)
    {
        if (OperatingSystem.IsWindows()) return;
        var mode = File.GetUnixFileMode(handle);
        if ((mode & GroupOrOthers) != 0)
        {
            throw new FaceException(FaceErrorCode.KeyUnavailable,
                $"The master key file {Path} is accessible to other users (mode {Convert.ToString((int)mode, 8)}); run: chmod 600 {Path}");
        }
    }

    private static int ReadAll(SafeFileHandle handle, byte[] buffer)
    {
        var total = 0;
        int read;
        while (total < buffer.Length && (read = RandomAccess.Read(handle, buffer.AsSpan(total), total)) > 0) total += read;
        return total;
    }
}
