using System.Globalization;
using IntelliFace.Audit;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Recognition;

/// <summary>What one retention run erased in one tenant.</summary>
public sealed record RetentionResult(TenantId Tenant, int RetentionDays, int TemplatesErased, int SubjectsErased);

/// <summary>
/// Applies each tenant's retention policy: templates not used (enrolled, or matched by a verify or identify)
/// for the tenant's retention days are deleted; a subject left without templates is erased whole (its key
/// destroyed). <see cref="RunOnce"/> is what <c>intelliface retention run</c> and a host's timer call;
/// <see cref="RunEveryAsync"/> is the background loop a long-running host starts. Audited as <c>system:retention</c>.
/// </summary>
/// <summary>The range of a tenant's retention period.</summary>
public static class RetentionPolicy
{
    /// <summary>A century: longer is no retention limit a data-protection notice could state, and dates past it overflow.</summary>
    public const int MaxDays = 36_500;

    /// <exception cref="FaceException"><c>invalid_argument</c> for a period outside 1 to <see cref="MaxDays"/> days.</exception>
    public static void Validate(int? retentionDays)
    {
        if (retentionDays is < 1 or > MaxDays)
            throw new FaceException(FaceErrorCode.InvalidArgument, $"A retention period is 1 to {MaxDays} days, not {retentionDays}.");
    }
}

public sealed class RetentionJob(TemplateVault vault)
{
    public const string Actor = "system:retention";

    public IReadOnlyList<RetentionResult> RunOnce()
    {
        var results = new List<RetentionResult>();
        foreach (var tenant in vault.Tenants.List())
        {
            if (tenant is not { Status: TenantStatus.Active, RetentionDays: { } days }) continue;
            var cutoff = vault.Time.GetUtcNow().AddDays(-Math.Min(days, RetentionPolicy.MaxDays));
            int templates = 0, subjects = 0;
            foreach (var (subject, template) in vault.Templates.UnusedSince(tenant.Id, cutoff))
            {
                templates++;
                if (vault.Templates.DeleteTemplate(tenant.Id, subject, template) > 0) continue;
                vault.DeleteSubject(tenant.Id, subject);
                subjects++;
                vault.Audit.Append(AuditRecord.Of(Actor, "subject.erase", tenant.Id, subject, AuditRecord.Ok, ("reason", "retention")));
            }
            if (templates == 0) continue;
            vault.Audit.Append(AuditRecord.Of(Actor, "retention.erase", tenant.Id, null, AuditRecord.Ok,
                ("retention_days", days.ToString(CultureInfo.InvariantCulture)), ("templates", templates.ToString(CultureInfo.InvariantCulture)),
                ("subjects", subjects.ToString(CultureInfo.InvariantCulture))));
            results.Add(new RetentionResult(tenant.Id, days, templates, subjects));
        }
        return results;
    }

    /// <summary>Runs <see cref="RunOnce"/> every <paramref name="interval"/> until cancelled.</summary>
    public async Task RunEveryAsync(TimeSpan interval, CancellationToken cancellation)
    {
        using var timer = new PeriodicTimer(interval, vault.Time);
        do
        {
            RunOnce();
        }
        while (await timer.WaitForNextTickAsync(cancellation).ConfigureAwait(false));
    }
}
