using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Watchtower.Testing.Servers;

/// <summary>
/// Signs certificates over SHA-1 — ecdsa-with-SHA1 (RFC 3279), sha1WithRSAEncryption, or RSASSA-PSS
/// with SHA-1 (RFC 4055) — which .NET's own generators no longer offer: the weak signatures old CAs
/// and appliances still serve, made for real so the tests can see how a probe judges them.
/// </summary>
public sealed class Sha1SignatureGenerator : X509SignatureGenerator
{
    private const string EcdsaWithSha1 = "1.2.840.10045.4.1";
    private const string Sha1WithRsa = "1.2.840.113549.1.1.5";
    private const string RsaPss = "1.2.840.113549.1.1.10";
    private const string Sha1 = "1.3.14.3.2.26";
    private const string Mgf1 = "1.2.840.113549.1.1.8";

    private readonly ECDsa? ecdsa;
    private readonly RSA? rsa;
    private readonly bool pss;

    public Sha1SignatureGenerator(ECDsa key) => ecdsa = key;

    /// <param name="pss">RSASSA-PSS with SHA-1 (hash and MGF1 named explicitly, salt 20) instead of PKCS#1 v1.5.</param>
    public Sha1SignatureGenerator(RSA key, bool pss = false)
    {
        rsa = key;
        this.pss = pss;
    }

    public override byte[] GetSignatureAlgorithmIdentifier(HashAlgorithmName hashAlgorithm)
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            if (ecdsa is not null)
            {
                writer.WriteObjectIdentifier(EcdsaWithSha1); // no parameters (RFC 5758 §3.2)
            }
            else if (!pss)
            {
                writer.WriteObjectIdentifier(Sha1WithRsa);
                writer.WriteNull();
            }
            else
            {
                writer.WriteObjectIdentifier(RsaPss);
                using (writer.PushSequence())
                {
                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0)))
                    {
                        WriteSha1(writer);
                    }

                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 1)))
                    using (writer.PushSequence())
                    {
                        writer.WriteObjectIdentifier(Mgf1);
                        WriteSha1(writer);
                    }

                    using (writer.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 2)))
                    {
                        writer.WriteInteger(20);
                    }
                }
            }
        }

        return writer.Encode();
    }

    private static void WriteSha1(AsnWriter writer)
    {
        using (writer.PushSequence())
        {
            writer.WriteObjectIdentifier(Sha1);
            writer.WriteNull();
        }
    }

#pragma warning disable CA5350 // A weak signature is exactly what the tests need to produce.
    public override byte[] SignData(byte[] data, HashAlgorithmName hashAlgorithm) => ecdsa is not null
        ? ecdsa.SignData(data, HashAlgorithmName.SHA1, DSASignatureFormat.Rfc3279DerSequence)
        : rsa!.SignData(data, HashAlgorithmName.SHA1, pss ? RSASignaturePadding.Pss : RSASignaturePadding.Pkcs1);
#pragma warning restore CA5350

    protected override PublicKey BuildPublicKey() => ecdsa is not null
        ? CreateForECDsa(ecdsa).PublicKey
        : CreateForRSA(rsa!, RSASignaturePadding.Pkcs1).PublicKey;
}
