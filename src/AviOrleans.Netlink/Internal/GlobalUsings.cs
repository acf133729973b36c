global using AviOrleans.Netlink.Internal;
global using AviOrleans.Netlink.Internal.Native;
