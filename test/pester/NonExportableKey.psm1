# A test seam for the certificate flows: an RSA key that signs but refuses to be exported, as a non-exportable key in the
# Windows certificate store does. RSA.ExportPkcs8PrivateKey of .NET then really fails (it needs ExportParameters(true)), so
# pwsh 7 on Linux, whose keys are always exportable, runs the module's catch that Windows PowerShell 5.1 runs for every
# key (its .NET Framework RSA has no ExportPkcs8PrivateKey) and signs in PowerShell.

if (-not ('EntraAuthTest.NonExportableRsa' -as [type])) {
    Add-Type -TypeDefinition @'
using System;
using System.IO;
using System.Security.Cryptography;

namespace EntraAuthTest
{
    public sealed class NonExportableRsa : RSA
    {
        private readonly RSA inner;

        public NonExportableRsa(RSA inner)
        {
            this.inner = inner;
            KeySizeValue = inner.KeySize;
            LegalKeySizesValue = inner.LegalKeySizes;
        }

        public int PrivateExportAttempts { get; private set; }

        public override RSAParameters ExportParameters(bool includePrivateParameters)
        {
            if (includePrivateParameters)
            {
                PrivateExportAttempts++;
                throw new CryptographicException("The requested operation is not supported.");
            }
            return inner.ExportParameters(false);
        }

        public override void ImportParameters(RSAParameters parameters)
        {
            throw new CryptographicException("The requested operation is not supported.");
        }

        public override byte[] SignHash(byte[] hash, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
        {
            return inner.SignHash(hash, hashAlgorithm, padding);
        }

        public override bool VerifyHash(byte[] hash, byte[] signature, HashAlgorithmName hashAlgorithm, RSASignaturePadding padding)
        {
            return inner.VerifyHash(hash, signature, hashAlgorithm, padding);
        }

        protected override byte[] HashData(byte[] data, int offset, int count, HashAlgorithmName hashAlgorithm)
        {
            using (IncrementalHash hash = IncrementalHash.CreateHash(hashAlgorithm))
            {
                hash.AppendData(data, offset, count);
                return hash.GetHashAndReset();
            }
        }

        protected override byte[] HashData(Stream data, HashAlgorithmName hashAlgorithm)
        {
            using (MemoryStream copy = new MemoryStream())
            {
                data.CopyTo(copy);
                byte[] bytes = copy.ToArray();
                return HashData(bytes, 0, bytes.Length, hashAlgorithm);
            }
        }
    }
}
'@
}

function New-NonExportableRsa {
    # The certificate's own key, wrapped so that it signs but cannot be exported.
    param([Parameter(Mandatory)] [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate)
    [EntraAuthTest.NonExportableRsa]::new([System.Security.Cryptography.X509Certificates.RSACertificateExtensions]::GetRSAPrivateKey($Certificate))
}

Export-ModuleMember -Function New-NonExportableRsa
