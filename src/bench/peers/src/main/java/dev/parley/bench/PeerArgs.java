package dev.parley.bench;

/**
 * The command line shared by the peers: {@code --host H --port P [--per-session]}. Defaults to
 * 127.0.0.1 so a peer started without arguments never listens beyond this machine.
 */
record PeerArgs(String host, int port, boolean perSession) {

    static PeerArgs parse(String[] args, int defaultPort) {
        String host = "127.0.0.1";
        int port = defaultPort;
        boolean perSession = false;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--host" -> host = args[++i];
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--per-session" -> perSession = true;
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]
                        + " (expected --host H --port P [--per-session])");
            }
        }
        return new PeerArgs(host, port, perSession);
    }
}
