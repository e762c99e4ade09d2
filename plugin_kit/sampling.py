"""How many data of a tag the loaders keep for a plugin: the kit's default, and the flag that changes it."""

# How many data a tag keeps by default, under either loader, unless `--samples_per_plugin=NAME=N`
# says otherwise (N=0 keeps them all). Loaders keep the latest step and a uniform sample of the
# others. As many as TensorBoard's text dashboard shows of a tag under the fast loader: a kept
# datum of short text costs ~0.75 KB in the data server (BENCHMARKS.md), so a sweep's memory is bounded by
# runs x tags x 75 KB, not by how long its runs are (at 1,000, a sweep of 10,000 runs could take 7.5 GB).
DEFAULT_SAMPLES_PER_TAG = 100

# What `downsample` asks of the data provider when the user asked for every sample.
ALL_SAMPLES = 2**31 - 1


def set_default(flags, plugin_name, samples=DEFAULT_SAMPLES_PER_TAG):
    """Makes `samples` the loaders' default for `plugin_name` in TensorBoard's parsed `flags`.

    A `--samples_per_plugin` that names the plugin wins.
    """
    per_plugin = getattr(flags, "samples_per_plugin", None)
    if isinstance(per_plugin, dict):
        per_plugin.setdefault(plugin_name, samples)


def downsample_to(context, plugin_name, samples=DEFAULT_SAMPLES_PER_TAG):
    """What a plugin asks the data provider's `downsample` for, from TensorBoard's `TBContext`."""
    return (context.sampling_hints or {}).get(plugin_name, samples) or ALL_SAMPLES
