using IntelliFace.Audit;
using IntelliFace.Tenancy;
using IntelliFace.Tests.Vault;

namespace IntelliFace.Tests.Audit;

public sealed class AuditLogTests
{
    private static readonly TenantId Acme = new("acme");
    private static readonly TenantId Globex = new("globex");

    public static TheoryData<string> Backends => VaultBackend.Names;

    [Theory, MemberData(nameof(Backends))]
    public void Appended_entries_chain_in_order_and_verify_as_intact(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open()) AppendFive(vault.Audit);

        using var reopened = store.Open();
        var result = reopened.Audit.Verify();

        Assert.Equal(new AuditVerification(true, 5, null, null), result);
        var acme = reopened.Audit.Entries(Acme);
        Assert.Equal([1L, 2L, 4L, 5L], acme.Select(e => e.Sequence));
        Assert.Equal(["enroll", "verify", "identify", "subject.erase"], acme.Select(e => e.Record.Action));
        Assert.Equal(new Dictionary<string, string> { ["pack"] = "p@1", ["template"] = "t1" }, acme[0].Record.Details);
        Assert.Equal([3L], reopened.Audit.Entries(Globex).Select(e => e.Sequence));
        Assert.Equal([4L, 5L], reopened.Audit.Entries(Acme, afterSequence: 2).Select(e => e.Sequence));
    }

    public static TheoryData<string, string, long, string> Tamperings()
    {
        var data = new TheoryData<string, string, long, string>();
        foreach (var backend in VaultBackend.Names)
        {
            data.Add(backend, "flip a byte of an entry's actor", 3, "entry 3 was altered (its content no longer matches its hash).");
            data.Add(backend, "flip a byte of an entry's authentication code", 3, "entry 3 was altered (its authentication code does not match).");
            data.Add(backend, "break an entry's details", 3, "entry 3 was altered (it no longer reads as an entry).");
            data.Add(backend, "delete an entry", 3, "entry 3 was removed (the next entry present is 4).");
            data.Add(backend, "delete an entry and renumber the rest", 3, "entry 3 was altered (its content no longer matches its hash).");
            data.Add(backend, "swap two entries", 2, "entry 2 holds the record written as entry 4: entries were reordered.");
            data.Add(backend, "delete the newest entry", 5, "entries 5 to 5 were removed from the end.");
            data.Add(backend, "alter the head", 6, "the chain's head record was altered.");
        }
        return data;
    }

    [Theory, MemberData(nameof(Tamperings))]
    public void Tampering_is_detected_and_located(string backend, string tampering, long firstBad, string problem)
    {
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open()) AppendFive(vault.Audit);

        switch (tampering)
        {
            case "flip a byte of an entry's actor":
                store.VaultSql("UPDATE audit_log SET actor = 'locam' WHERE seq = 3");
                break;
            case "flip a byte of an entry's authentication code":
                var mac = (byte[])store.VaultSql("SELECT mac FROM audit_log WHERE seq = 3")!;
                mac[7] ^= 0x01;
                store.VaultSql("UPDATE audit_log SET mac = @mac WHERE seq = 3", ("@mac", mac));
                break;
            case "break an entry's details":
                store.VaultSql("UPDATE audit_log SET details = '{' WHERE seq = 3");
                break;
            case "delete an entry":
                store.VaultSql("DELETE FROM audit_log WHERE seq = 3");
                break;
            case "delete an entry and renumber the rest":
                store.VaultSql("DELETE FROM audit_log WHERE seq = 3");
                store.VaultSql("UPDATE audit_log SET seq = seq - 1 WHERE seq = 4");
                store.VaultSql("UPDATE audit_log SET seq = seq - 1 WHERE seq = 5");
                break;
            case "swap two entries":
                store.VaultSql("UPDATE audit_log SET seq = -2 WHERE seq = 2");
                store.VaultSql("UPDATE audit_log SET seq = 2 WHERE seq = 4");
                store.VaultSql("UPDATE audit_log SET seq = 4 WHERE seq = -2");
                break;
            case "delete the newest entry":
                store.VaultSql("DELETE FROM audit_log WHERE seq = 5");
                break;
            case "alter the head":
                store.VaultSql("UPDATE audit_head SET last_seq = 6");
                break;
        }

        using var reopened = store.Open();
        var result = reopened.Audit.Verify();

        Assert.False(result.Intact);
        Assert.Equal(firstBad, result.FirstBadSequence);
        Assert.Equal(problem, result.Problem);
    }

    [Theory, MemberData(nameof(Backends))]
    public void An_entry_added_without_the_audit_key_is_detected(string backend)
    {
        using var store = VaultBackend.Create(backend);
        using (var vault = store.Open()) AppendFive(vault.Audit);
        store.VaultSql("INSERT INTO audit_log SELECT 6, at_ms, actor, action, tenant_id, subject_id, outcome, details, hash, mac FROM audit_log WHERE seq = 5");

        using var reopened = store.Open();

        Assert.Equal(new AuditVerification(false, 6, 6, "entry 6 holds the record written as entry 5: entries were reordered."), reopened.Audit.Verify());
    }

    [Fact]
    public void The_chain_hash_of_an_entry_is_frozen()
    {
        var record = AuditRecord.Of("apikey:0011", "verify", Acme, new SubjectId("alice"), AuditRecord.Ok, ("pack", "p@1"), ("match", "true"));

        var hash = AuditEntry.ChainHash(new byte[32], 7, DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123), record);

        // SHA-256 over: tag, previous hash (hex), sequence, time (Unix ms), actor, action, tenant, subject,
        // outcome, then each detail's name and value sorted by name; every field a 2-byte length and UTF-8.
        Assert.Equal("61bff8a88de25d22f7298f5709a49bf013bb65b3adb78efa87148a95760298b2", Convert.ToHexStringLower(hash));
    }

    private static void AppendFive(AuditLog log)
    {
        log.Append(AuditRecord.Of("local", "enroll", Acme, new SubjectId("alice"), AuditRecord.Ok, ("template", "t1"), ("pack", "p@1")));
        log.Append(AuditRecord.Of("apikey:0011", "verify", Acme, new SubjectId("alice"), AuditRecord.Ok, ("match", "true")));
        log.Append(AuditRecord.Of("apikey:0022", "enroll", Globex, new SubjectId("carol"), "no_face"));
        log.Append(AuditRecord.Of("apikey:0011", "identify", Acme, null, AuditRecord.Ok, ("candidates", "0")));
        log.Append(AuditRecord.Of("operator:ada", "subject.erase", Acme, new SubjectId("alice")));
    }
}
