using IntelliFace.Audit;
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
/// The application layer both hosts (CLI, HTTP) call for recognition: enroll, verify and identify, for one
/// loaded model pack, one vault and one <paramref name="caller"/> (the local administrator when not given).
/// The tenant's other data (subjects, exports, audit trail) is <see cref="TenantDataService"/>.
/// Every operation checks the caller's access to the tenant first and appends an audit entry with its outcome,
/// refusals included. Cheap to create per request; thread-safe. Photos are taken as bytes the caller owns;
/// nothing derived from them but the sealed embedding is kept.
/// </summary>
public sealed class FaceRecognitionService(FacePipeline pipeline, TemplateVault vault, Caller? caller = null)
{
    private readonly MatchDecision _decision = new(pipeline.Pack.Manifest.Threshold);
    private readonly AuditedAccess _gate = new(vault, caller ?? Caller.LocalAdministrator);

    public PackId Pack => pipeline.Pack.Id;

    public EnrollResult Enroll(TenantId tenant, SubjectId subject, ReadOnlySpan<byte> photo)
    {
        const string Action = "enroll";
        _gate.Admit(Action, tenant, subject, Scopes.Enroll);
        try
        {
            if (vault.Tenants.Find(tenant) is { ConsentRequired: true } && vault.Consents.Find(tenant, subject) is null)
            {
                throw new FaceException(FaceErrorCode.ConsentRequired,
                    $"Tenant {tenant} requires a consent record before enrolling '{subject}': record it with 'consent record'.");
            }
            var probe = pipeline.Embed(photo, FaceSelection.ExactlyOne);
            try
            {
                var started = PipelineMetrics.Start();
                var template = vault.AddTemplate(tenant, subject, probe.Embedding);
                PipelineMetrics.Record("seal", Pack, started);
                _gate.Record(Action, tenant, subject, AuditRecord.Ok, ("template", template.Value), ("pack", Pack.Value));
                return new EnrollResult(subject, template, probe.Embedding.Pack, probe.Face);
            }
            finally
            {
                probe.Embedding.Clear();
            }
        }
        catch (FaceException e)
        {
            _gate.Record(Action, tenant, subject, e.Code);
            throw;
        }
    }

    public VerifyResult Verify(TenantId tenant, SubjectId subject, ReadOnlySpan<byte> photo)
    {
        const string Action = "verify";
        _gate.Admit(Action, tenant, subject, Scopes.Recognise);
        try
        {
            var packs = vault.PacksOf(tenant, subject);
            if (packs.Count == 0)
                throw new FaceException(FaceErrorCode.UnknownSubject, $"The tenant has no subject '{subject}'.");
            if (!packs.Contains(Pack))
                throw new FaceException(FaceErrorCode.ModelMismatch,
                    $"The subject's templates were made with {string.Join(", ", packs)}, not with the active pack {Pack}; re-enroll the subject with {Pack}.");

            var probe = pipeline.Embed(photo, FaceSelection.Largest);
            using var gallery = GalleryOf(() => vault.LoadTemplates(tenant, subject, Pack));
            var started = PipelineMetrics.Start();
            var best = gallery.Rank(probe.Embedding, top: 1)[0];
            PipelineMetrics.Record("match", Pack, started);
            probe.Embedding.Clear();
            var match = _decision.IsSamePerson(best.Similarity);
            if (match) vault.Templates.MarkUsed(tenant, subject, vault.Time.GetUtcNow());
            _gate.Record(Action, tenant, subject, AuditRecord.Ok, ("match", match ? "true" : "false"), ("pack", Pack.Value));
            return new VerifyResult(match, best.Similarity, _decision.Threshold, Pack, probe.Face);
        }
        catch (FaceException e)
        {
            _gate.Record(Action, tenant, subject, e.Code);
            throw;
        }
    }

    /// <param name="threshold">A stricter threshold than the pack's for this request: between the pack's calibrated
    /// threshold and 1. Null for the pack's.</param>
    public IdentifyResult Identify(TenantId tenant, ReadOnlySpan<byte> photo, int top, double? threshold = null)
    {
        const string Action = "identify";
        _gate.Admit(Action, tenant, null, Scopes.Recognise);
        try
        {
            if (top is < 1 or > 100)
                throw new FaceException(FaceErrorCode.InvalidArgument, "--top must be between 1 and 100.");
            var decision = threshold is { } stricter ? StricterDecision(stricter) : _decision;
            var packs = vault.PacksOf(tenant);
            if (packs.Count > 0 && !packs.Contains(Pack))
                throw new FaceException(FaceErrorCode.ModelMismatch,
                    $"The tenant's templates were made with {string.Join(", ", packs)}, not with the active pack {Pack}; re-enroll with {Pack}.");

            var probe = pipeline.Embed(photo, FaceSelection.Largest);
            using var gallery = GalleryOf(() => vault.LoadTemplates(tenant, Pack));
            var started = PipelineMetrics.Start();
            var accepted = decision.Accept(gallery.TemplateCount == 0 ? [] : gallery.Rank(probe.Embedding, top));
            PipelineMetrics.Record("match", Pack, started);
            probe.Embedding.Clear();
            var match = accepted.Count > 0 ? accepted[0].Subject : (SubjectId?)null;
            if (match is { } seen) vault.Templates.MarkUsed(tenant, seen, vault.Time.GetUtcNow());
            _gate.Record(Action, tenant, match, AuditRecord.Ok, ("candidates", accepted.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("pack", Pack.Value));
            return new IdentifyResult(match, accepted, decision.Threshold, Pack, probe.Face);
        }
        catch (FaceException e)
        {
            _gate.Record(Action, tenant, null, e.Code);
            throw;
        }
    }

    private MatchDecision StricterDecision(double threshold)
    {
        // A caller may demand more similarity than the calibration, never less: a lower threshold would name strangers.
        if (!(threshold >= _decision.Threshold && threshold <= 1))
            throw new FaceException(FaceErrorCode.InvalidArgument,
                $"The threshold must lie between the pack's calibrated threshold {_decision.Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)} and 1.");
        return new MatchDecision(pipeline.Pack.Manifest.Threshold with { Cosine = threshold, Calibration = "requested by the caller" });
    }

    /// <summary>A gallery of the templates <paramref name="load"/> opens; the opened embeddings are wiped once the gallery
    /// holds its own copy.</summary>
    private Gallery GalleryOf(Func<IReadOnlyList<OpenedTemplate>> load)
    {
        var started = PipelineMetrics.Start();
        var templates = load();
        try
        {
            return new Gallery(Pack, templates.Select(t => (t.Subject, t.Embedding)));
        }
        finally
        {
            foreach (var template in templates) template.Embedding.Clear();
            PipelineMetrics.Record("gallery", Pack, started);
        }
    }
}
