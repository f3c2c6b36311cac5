using System.Data.Common;
using IntelliFace.Vault.Storage;

namespace IntelliFace.Tenancy;

/// <summary>
/// The lawful basis for processing a subject's biometric data (special-category data, GDPR Art. 9(2)), by its
/// stable name: <c>explicit_consent</c> (a), <c>employment</c> (b), <c>vital_interests</c> (c),
/// <c>legal_claims</c> (f), <c>substantial_public_interest</c> (g).
/// </summary>
public static class LawfulBasis
{
    public static readonly IReadOnlyList<string> Names = ["explicit_consent", "employment", "vital_interests", "legal_claims", "substantial_public_interest"];

    /// <exception cref="FaceException"><c>invalid_argument</c> for another name.</exception>
    public static string Validate(string name) => Names.Contains(name)
        ? name
        : throw new FaceException(FaceErrorCode.InvalidArgument, $"The lawful basis is one of {string.Join(", ", Names)}.");
}

/// <summary>A subject's consent record: on what basis, under which version of the privacy notice, since when.</summary>
public sealed record ConsentRecord(TenantId Tenant, SubjectId Subject, string LawfulBasis, string NoticeVersion, DateTimeOffset GivenUtc, DateTimeOffset RecordedUtc);

/// <summary>The consents table, one record per subject (a new record replaces the old).</summary>
internal sealed class ConsentStore(SqlDatabase database)
{
    public void Record(ConsentRecord consent) => database.Write(session => session.Execute("""
        INSERT INTO consents (tenant_id, subject_id, lawful_basis, notice_version, given_ms, recorded_ms)
        VALUES (@tenant, @subject, @basis, @notice, @given, @recorded)
        ON CONFLICT (tenant_id, subject_id) DO UPDATE SET lawful_basis = excluded.lawful_basis, notice_version = excluded.notice_version,
            given_ms = excluded.given_ms, recorded_ms = excluded.recorded_ms
        """,
        ("@tenant", consent.Tenant.Value), ("@subject", consent.Subject.Value), ("@basis", consent.LawfulBasis), ("@notice", consent.NoticeVersion),
        ("@given", StoredTime.Of(consent.GivenUtc)), ("@recorded", StoredTime.Of(consent.RecordedUtc))));

    public ConsentRecord? Find(TenantId tenant, SubjectId subject) => database.Read(session => session.Query(
        "SELECT lawful_basis, notice_version, given_ms, recorded_ms FROM consents WHERE tenant_id = @tenant AND subject_id = @subject",
        (DbDataReader reader) => new ConsentRecord(tenant, subject, reader.GetString(0), reader.GetString(1), StoredTime.From(reader, 2), StoredTime.From(reader, 3)),
        ("@tenant", tenant.Value), ("@subject", subject.Value)).SingleOrDefault());
}
