using Xunit;

// One test at a time: the cluster tests hold their hosts to the shipped 300 ms fencing window, as an SE host with its
// CPU to itself would be; with the other classes' guard processes and netlink loops beside them in this process, a
// host stalled past it and fenced (2 of 6 local runs of the whole project).
[assembly: CollectionBehavior(DisableTestParallelization = true)]
