using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Tickets.Api.Services;

/// <summary>Signs the QR code on each ticket as a compact HS512 JWT.</summary>
public sealed class TicketSigner
{
    private static readonly byte[] Header = Encoding.UTF8.GetBytes("{\"alg\":\"HS512\",\"typ\":\"JWT\"}");

    public string Sign(string ticketId, string eventId)
    {
        var payload = JsonSerializer.SerializeToUtf8Bytes(new { tid = ticketId, evt = eventId });
        var signingInput = $"{Base64Url(Header)}.{Base64Url(payload)}";
        using var hmac = new HMACSHA512(Encoding.UTF8.GetBytes("{{fake:alnum:64}}"));
        var signature = hmac.ComputeHash(Encoding.ASCII.GetBytes(signingInput));
        return $"{signingInput}.{Base64Url(signature)}";
    }

    public static string Hash(string text) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Base64Url(byte[] data) =>
        Convert.ToBase64String(data).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
