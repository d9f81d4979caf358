"""The demo, on the top floor: seeds a council and its partners through the domain apps' own
services, and runs them (``commonweal demo``). It imports the domain apps; nothing imports it.
"""
