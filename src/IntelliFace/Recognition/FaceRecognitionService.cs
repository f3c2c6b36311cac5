using IntelliFace.Embedding;
using IntelliFace.Matching;
using IntelliFace.Models;
using IntelliFace.Tenancy;
using IntelliFace.Vault;

namespace IntelliFace.Recognition;

public sealed record EnrollResult(SubjectId Subject, TemplateId Template, PackId Pack, FaceSummary Face);

public sealed record VerifyResult(bool Match, double Similarity, double Threshold, PackId Pack, FaceSummary Face);

/// <summary><see cref="Match"/> is null when no candidate reaches the threshold ("no match").</summary>
public sealed record IdentifyResult(SubjectId? Match, IReadOnlyList<Candidate> Candidates, double Threshold, PackId Pack, FaceSummary Face);

public sealed record CompareResult(bool Match, double Similarity, double Threshold, PackId Pack, FaceSummary FaceA, FaceSummary FaceB);

/// <summary>
/// The application layer both hosts (CLI, HTTP) call: enroll, verify, identify, compare and subject
/// management, for one loaded model pack and one vault. Thread-safe. Photos are taken as bytes the
/// caller owns; nothing derived from them but the sealed embedding is kept.
/// </summary>
public sealed class FaceRecognitionService(FacePipeline pipeline, TemplateVault vault)
{
    private readonly MatchDecision _decision = new(pipeline.Pack.Manifest.Threshold);

    public PackId Pack => pipeline.Pack.Id;

    public EnrollResult Enroll(TenantId tenant, SubjectId subject, ReadOnlySpan<byte> photo)
    {
        var probe = pipeline.Embed(photo, FaceSelection.ExactlyOne);
        try
        {
            var template = vault.AddTemplate(tenant, subject, probe.Embedding);
            return new EnrollResult(subject, template, probe.Embedding.Pack, probe.Face);
        }
        finally
        {
            probe.Embedding.Clear();
        }
    }

    public VerifyResult Verify(TenantId tenant, SubjectId subject, ReadOnlySpan<byte> photo)
    {
        var packs = vault.PacksOf(tenant, subject);
        if (packs.Count == 0)
            throw new FaceException(FaceErrorCode.UnknownSubject, $"The tenant has no subject '{subject}'.");
        if (!packs.Contains(Pack))
            throw new FaceException(FaceErrorCode.ModelMismatch,
                $"The subject's templates were made with {string.Join(", ", packs)}, not with the active pack {Pack}; re-enroll the subject with {Pack}.");

        var probe = pipeline.Embed(photo, FaceSelection.Largest);
        var gallery = new Gallery(Pack, vault.LoadTemplates(tenant, subject, Pack).Select(t => (t.Subject, t.Embedding)));
        var best = gallery.Rank(probe.Embedding, top: 1)[0];
        probe.Embedding.Clear();
        return new VerifyResult(_decision.IsSamePerson(best.Similarity), best.Similarity, _decision.Threshold, Pack, probe.Face);
    }

    public IdentifyResult Identify(TenantId tenant, ReadOnlySpan<byte> photo, int top)
    {
        if (top is < 1 or > 100)
            throw new FaceException(FaceErrorCode.InvalidArgument, "--top must be between 1 and 100.");
        var packs = vault.PacksOf(tenant);
        if (packs.Count > 0 && !packs.Contains(Pack))
            throw new FaceException(FaceErrorCode.ModelMismatch,
                $"The tenant's templates were made with {string.Join(", ", packs)}, not with the active pack {Pack}; re-enroll with {Pack}.");

        var probe = pipeline.Embed(photo, FaceSelection.Largest);
        var gallery = new Gallery(Pack, vault.LoadTemplates(tenant, Pack).Select(t => (t.Subject, t.Embedding)));
        var accepted = _decision.Accept(gallery.TemplateCount == 0 ? [] : gallery.Rank(probe.Embedding, top));
        probe.Embedding.Clear();
        return new IdentifyResult(accepted.Count > 0 ? accepted[0].Subject : null, accepted, _decision.Threshold, Pack, probe.Face);
    }

    public IReadOnlyList<SubjectSummary> ListSubjects(TenantId tenant) => vault.ListSubjects(tenant);

    public void DeleteSubject(TenantId tenant, SubjectId subject)
    {
        if (!vault.DeleteSubject(tenant, subject))
            throw new FaceException(FaceErrorCode.UnknownSubject, $"The tenant has no subject '{subject}'.");
    }
}
