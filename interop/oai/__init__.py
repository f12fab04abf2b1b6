"""OAI-PMH 2.0 provider at /oai/: the network's publications in Dublin Core for the
harvesters of the documentary base (Cosoter, in PMB) and anyone else."""
