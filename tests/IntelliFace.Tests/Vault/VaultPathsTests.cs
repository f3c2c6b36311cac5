using IntelliFace.Vault;

namespace IntelliFace.Tests.Vault;

public sealed class VaultPathsTests
{
    [Fact]
    public void Defaults_keep_the_key_in_the_config_folder_apart_from_the_data_folder()
    {
        var paths = VaultPaths.Resolve(Variables(("HOME", "/home/ada")), windows: false);

        Assert.Equal("/home/ada/.local/share/intelliface", paths.DataDirectory);
        Assert.Equal("/home/ada/.local/share/intelliface/vault.db", paths.DatabaseFile);
        Assert.Equal("/home/ada/.config/intelliface/master.key", paths.MasterKeyFile);
    }

    [Fact]
    public void Xdg_base_directories_are_honoured_when_absolute()
    {
        var absolute = VaultPaths.Resolve(Variables(("HOME", "/home/ada"), ("XDG_DATA_HOME", "/xdg/data"), ("XDG_CONFIG_HOME", "/xdg/config")), windows: false);
        var relative = VaultPaths.Resolve(Variables(("HOME", "/home/ada"), ("XDG_DATA_HOME", "data"), ("XDG_CONFIG_HOME", "config")), windows: false);

        Assert.Equal(new VaultPaths("/xdg/data/intelliface", "/xdg/config/intelliface/master.key"), absolute);
        Assert.Equal(new VaultPaths("/home/ada/.local/share/intelliface", "/home/ada/.config/intelliface/master.key"), relative);
    }

    [Fact]
    public void Intelliface_variables_override_the_defaults()
    {
        var paths = VaultPaths.Resolve(Variables(
            ("HOME", "/home/ada"), ("INTELLIFACE_DATA", "/srv/intelliface"), ("INTELLIFACE_MASTER_KEY_FILE", "/run/secrets/master.key")), windows: false);

        Assert.Equal(new VaultPaths("/srv/intelliface", "/run/secrets/master.key"), paths);
    }

    private static Func<string, string?> Variables(params (string Name, string Value)[] variables) =>
        name => variables.FirstOrDefault(v => v.Name == name).Value;
}
