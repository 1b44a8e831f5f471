package dev.parley.adapter;

/** The single-node adapter against the adapter contract. */
class InMemoryAdapterTest extends AdapterContractTest {

    @Override
    protected Adapter newAdapter(AdapterContext context) {
        return new InMemoryAdapter(context);
    }
}
