using DotnetWebApi.Services;
using Microsoft.AspNetCore.Mvc;

namespace DotnetWebApi.Controllers;

[ApiController]
[Route("api/[controller]")]
public class AuthController : ControllerBase
{
    private const string InvalidTokenMessage = "Invalid token";
    private readonly TokenService _tokens;

    public AuthController(TokenService tokens) => _tokens = tokens;

    public record LoginRequest(string UserName, string Password);

    [HttpPost("login")]
    public IActionResult Login([FromBody] LoginRequest request)
    {
        if (request.UserName != "demo" || string.IsNullOrEmpty(request.Password))
        {
            return Unauthorized(new { error = InvalidTokenMessage });
        }

        return Ok(new { token = _tokens.CreateToken(request.UserName, new[] { "user" }), tokenType = "Bearer" });
    }
}
