"""A plain TCP relay: ``python -m campaigns.bench.relay TARGET_HOST:PORT LISTEN_HOST:PORT ...``.

PostgreSQL listens on 127.0.0.1 only; workers in a network namespace reach
it through this relay on the host side of their veth pair, and the server
sees a loopback client, as its authentication rules expect.
"""

import asyncio
import sys

CHUNK = 65536


async def pipe(reader, writer):
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()
    except ConnectionError:
        pass
    finally:
        writer.close()


async def serve(target, listens):
    target_host, target_port = target.rsplit(":", 1)

    async def relay(client_reader, client_writer):
        try:
            server_reader, server_writer = await asyncio.open_connection(target_host, int(target_port))
        except OSError:
            client_writer.close()
            return
        await asyncio.gather(pipe(client_reader, server_writer), pipe(server_reader, client_writer))

    servers = []
    for listen in listens:
        host, port = listen.rsplit(":", 1)
        servers.append(await asyncio.start_server(relay, host, int(port)))
    print("listening", flush=True)
    await asyncio.gather(*(server.serve_forever() for server in servers))


if __name__ == "__main__":
    asyncio.run(serve(sys.argv[1], sys.argv[2:]))
