using AviOrleans.Grpc;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AviOrleans.Gateway;

/// <summary>Puts the avi.v1 gateway into a web application: its own <see cref="GatewayHost"/>, or a silo's host.</summary>
public static class GatewayWebApplicationBuilderExtensions
{
    /// <summary>
    /// Makes Kestrel listen where <paramref name="options"/> says (h2c, or TLS from PEM files) and adds the gateway's
    /// services with its bearer tokens; the health starts at <see cref="GatewayOptions.InitialHealth"/>. The
    /// <c>IHaControlPlane</c> registered before this call is served. Then map with <c>MapAviGateway()</c>.
    /// </summary>
    public static WebApplicationBuilder AddAviGateway(this WebApplicationBuilder builder, GatewayOptions options)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(options.Address, options.Port, listen =>
        {
            if (options.TlsCertificateFile is { } cert && options.TlsKeyFile is { } key)
            {
                listen.UseGrpcTls(cert, key);
            }
            else
            {
                listen.UseGrpcH2c();
            }
        }));

        // Registered before the transport's own (TryAdd) so that no request sees another status first.
        var initialHealth = options.InitialHealth;
        builder.Services.TryAddSingleton(_ =>
        {
            var health = new GrpcHealthStatusProvider();
            health.SetOverallStatus(initialHealth);
            return health;
        });
        builder.Services.AddAviGateway(grpc =>
        {
            grpc.Authentication.RequireAuthentication = options.Tokens.Count > 0;
            foreach (var token in options.Tokens)
            {
                grpc.Authentication.Tokens.Add(token);
            }
        });
        return builder;
    }
}
