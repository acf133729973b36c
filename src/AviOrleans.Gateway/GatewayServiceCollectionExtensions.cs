using System.IO.Compression;
using AviOrleans.Gateway.Internal;
using AviOrleans.Grains;
using Grpc.HealthCheck;
using Grpc.Net.Compression;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace AviOrleans.Gateway;

/// <summary>Registers the avi.v1 gateway in any ASP.NET Core host (its own, or a silo's web host).</summary>
public static class GatewayServiceCollectionExtensions
{
    /// <summary>The largest message the gateway receives or sends: 4 MiB (what gRPC clients accept by default).</summary>
    public const int MaxMessageSize = 4 * 1024 * 1024;

    /// <summary>
    /// Adds Grpc.AspNetCore with the gateway's options (4 MiB messages both ways, gzip, no exception detail to
    /// clients, the gateway's interceptor), server reflection (v1 and v1alpha), grpc.health.v1
    /// (<see cref="GatewayHealth"/>), the bearer-token authentication scheme with the reader/admin policies, and the
    /// avi.v1 services over the <see cref="IHaControlPlane"/> registered in the container (the HA grains': a silo's
    /// <c>AddAviGrains()</c> or an Orleans client's <c>AddAviHaControlPlane()</c>). Then map with
    /// <c>MapAviGateway()</c>; a host that is not a <c>WebApplication</c> also calls <c>UseAuthentication()</c> and
    /// <c>UseAuthorization()</c> after <c>UseRouting()</c>.
    /// </summary>
    /// <param name="services">The host's services.</param>
    /// <param name="configureTokens">The bearer tokens and/or token file; none: no token needed (loopback only).</param>
    public static IServiceCollection AddAviGateway(this IServiceCollection services, Action<BearerTokenOptions>? configureTokens = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddGrpc(options =>
        {
            options.MaxReceiveMessageSize = MaxMessageSize;
            options.MaxSendMessageSize = MaxMessageSize;
            options.EnableDetailedErrors = false;
            options.IgnoreUnknownServices = false;

            // Requests may come gzip-compressed; responses are compressed only for a client that compresses its own.
            options.CompressionProviders = [new GzipCompressionProvider(CompressionLevel.Fastest)];
            options.ResponseCompressionAlgorithm = null;
            options.Interceptors.Add<GatewayInterceptor>();
        });
        services.AddGrpcReflection();
        services.TryAddSingleton<GatewayInterceptor>();
        services.TryAddSingleton<HealthServiceImpl>();
        services.TryAddSingleton(sp => new GatewayHealth(sp.GetRequiredService<HealthServiceImpl>()));

        services.AddAuthentication()
            .AddScheme<BearerTokenOptions, BearerTokenHandler>(BearerTokenOptions.SchemeName, options => configureTokens?.Invoke(options));
        services.TryAddSingleton<BearerTokenStore>();
        services.AddAuthorizationBuilder()
            .AddPolicy(GatewayPolicies.Reader, policy => policy
                .AddAuthenticationSchemes(BearerTokenOptions.SchemeName)
                .RequireRole(GatewayPolicies.ReaderRole, GatewayPolicies.AdminRole))
            .AddPolicy(GatewayPolicies.Admin, policy => policy
                .AddAuthenticationSchemes(BearerTokenOptions.SchemeName)
                .RequireRole(GatewayPolicies.AdminRole));

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(_ => new Pager(new PageTokenCodec()));
        services.TryAddSingleton<ServiceEngineGroupApi>();
        services.TryAddSingleton<ServiceEngineApi>();
        services.TryAddSingleton<VsVipApi>();
        services.TryAddSingleton<VirtualServiceApi>();
        services.TryAddSingleton<HaApi>();
        return services;
    }
}
